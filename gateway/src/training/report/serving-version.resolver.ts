import { Ctx, FieldResolver, Float, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Model, ModelVersion } from "../../models/models.types";
import { accuracyOf, isWorseThan, servingAlias, servingVersionId } from "./serving-version";

/** The version a model serves (see serving-version.ts for the rule), batched per request. */
async function servingVersionOf(ctx: RequestContext, modelId: string): Promise<ModelVersion | null> {
  const [versions, aliases] = await Promise.all([
    ctx.loaders.versionsByModelId.load(modelId),
    ctx.loaders.aliasesByModelId.load(modelId),
  ]);
  const deployments = await ctx.loaders.deploymentByVersionId.loadMany(versions.map((version) => version.id));
  const id = servingVersionId(
    versions,
    deployments.map((deployment) => (deployment instanceof Error ? null : deployment)),
    aliases,
  );
  return versions.find((version) => version.id === id) ?? null;
}

@Resolver(() => ModelVersion)
export class ModelVersionServingResolver {
  @FieldResolver(() => Float, {
    nullable: true,
    description:
      "validationAccuracy, else testAccuracy (for display; worseThanServing compares like with like)",
  })
  accuracy(@Root() version: ModelVersion) {
    return accuracyOf(version);
  }

  @FieldResolver(() => Boolean, {
    description: `True when the model serves another version (see Model.servingVersion) and this version's accuracy is strictly below it, like with like: validation accuracy when both versions have one, else test accuracy when both have one. False for the serving version itself, when the model serves nothing, and when no like pair exists (unknown).`,
  })
  async worseThanServing(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return isWorseThan(version, await servingVersionOf(ctx, version.modelId));
  }
}

@Resolver(() => Model)
export class ModelServingResolver {
  @FieldResolver(() => ModelVersion, {
    nullable: true,
    description: `The version the model serves, the first that applies: the version whose deployment is READY; else the one whose deployment is LOADING; else the version behind an alias that one of the model's deployments follows (e.g. a FAILED deployment following \`${servingAlias}\`); else the version the \`${servingAlias}\` alias points at; else null. Within a rule the most recently updated deployment wins. What ModelVersion.worseThanServing compares with`,
  })
  servingVersion(@Root() model: Model, @Ctx() ctx: RequestContext) {
    return servingVersionOf(ctx, model.id);
  }
}

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
    description: "validationAccuracy, else testAccuracy: what worseThanServing compares",
  })
  accuracy(@Root() version: ModelVersion) {
    return accuracyOf(version);
  }

  @FieldResolver(() => Boolean, {
    description: `True when the model serves another version (its READY deployment, else a LOADING one, else the version its \`${servingAlias}\` alias points at) and this version's accuracy (validation, else test) is known and strictly below that version's. False for the serving version itself and when either accuracy is unknown.`,
  })
  async worseThanServing(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return isWorseThan(version, await servingVersionOf(ctx, version.modelId));
  }
}

@Resolver(() => Model)
export class ModelServingResolver {
  @FieldResolver(() => ModelVersion, {
    nullable: true,
    description: `The version the model serves: its READY deployment, else a LOADING one, else the version its \`${servingAlias}\` alias points at; what ModelVersion.worseThanServing compares with`,
  })
  servingVersion(@Root() model: Model, @Ctx() ctx: RequestContext) {
    return servingVersionOf(ctx, model.id);
  }
}

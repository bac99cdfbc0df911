import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import type { RequestContext } from "../graphql/context";
import { DatasetVersion } from "../datasets/datasets.types";
import { ModelVersion } from "../models/models.types";
import { canSee } from "../users/access";
import { canSeeJob } from "./training-access";
import { TrainingJob } from "./training.types";

/** A model version by id when the viewer may see its model, else null (batched). */
export async function visibleModelVersion(ctx: RequestContext, id: string): Promise<ModelVersion | null> {
  const version = await ctx.loaders.versionById.load(id);
  const model = version && (await ctx.loaders.modelById.load(version.modelId));
  return version && model && canSee(ctx.viewer, model) ? version : null;
}

/** A dataset version by id when the viewer may see its dataset, else null (batched). */
export async function visibleDatasetVersion(ctx: RequestContext, id: string): Promise<DatasetVersion | null> {
  const version = await ctx.loaders.datasetVersionById.load(id);
  const dataset = version && (await ctx.loaders.datasetById.load(version.datasetId));
  return version && dataset && canSee(ctx.viewer, dataset) ? version : null;
}

/** Where a trained version came from; null on uploaded and imported versions. */
@Resolver(() => ModelVersion)
export class ModelVersionLineageResolver {
  @FieldResolver(() => TrainingJob, { nullable: true, description: "The job that trained this version" })
  async trainingJob(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    const lineage = await ctx.loaders.lineageByVersionId.load(version.id);
    const job = lineage?.trainingJobId ? await ctx.loaders.trainingJobById.load(lineage.trainingJobId) : null;
    return job && canSeeJob(ctx.viewer, job) ? job : null;
  }

  @FieldResolver(() => ModelVersion, {
    nullable: true,
    description: "The base model version it was trained on top of",
  })
  async trainedFrom(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    const lineage = await ctx.loaders.lineageByVersionId.load(version.id);
    return lineage?.trainedFromId ? visibleModelVersion(ctx, lineage.trainedFromId) : null;
  }

  @FieldResolver(() => DatasetVersion, {
    nullable: true,
    description: "The dataset version it was trained on",
  })
  async trainedOn(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    const lineage = await ctx.loaders.lineageByVersionId.load(version.id);
    return lineage?.trainedOnId ? visibleDatasetVersion(ctx, lineage.trainedOnId) : null;
  }

  @FieldResolver(() => GraphQLJSON, {
    nullable: true,
    description: "The hyperparameters it was trained with (the best trial's, after a search)",
  })
  async hyperparameters(@Root() version: ModelVersion, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.lineageByVersionId.load(version.id))?.hyperparameters ?? null;
  }
}

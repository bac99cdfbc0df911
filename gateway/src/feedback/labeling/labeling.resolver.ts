import { Arg, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { firstArg } from "../../graphql/connection";
import { fieldCost } from "../../graphql/field-costs";
import { limits } from "../../limits";
import { canSee } from "../../users/access";
import { ModelVersion } from "../../models/models.types";
import { DatasetVersion, Sample } from "../../datasets/datasets.types";
import { Prediction } from "../predictions/predictions.types";
import { visiblePrediction } from "../predictions/owned-predictions";
import { visibleDatasetVersion, visibleModelVersion } from "../../training/training-lineage";
import type { LoadedLabelingItem } from "./labeling.loader";
import {
  LabelInput,
  LabelingBatch,
  LabelingBatchConnection,
  LabelingBatchInput,
  LabelingItem,
} from "./labeling.types";

@Resolver(() => LabelingBatch)
export class LabelingBatchResolver {
  @Extensions(fieldCost.tierJob)
  @Mutation(() => LabelingBatch, {
    description:
      `Scores the pool with the model (up to ${limits.labeling.poolItems} items, before answering) and picks a batch ` +
      "to label by the strategy's uncertainty and the diversity rule",
  })
  createLabelingBatch(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => LabelingBatchInput) input: LabelingBatchInput,
  ) {
    return ctx.services.labeling.create(ctx.viewer, input, ctx.signal);
  }

  @Query(() => LabelingBatch, { nullable: true, description: "Null unless it is yours" })
  labelingBatch(@Ctx() ctx: RequestContext, @Arg("id", () => ID) id: string) {
    return ctx.services.labeling.find(ctx.viewer, id);
  }

  @Query(() => LabelingBatchConnection, { description: "Your labelling batches, newest first" })
  labelingBatches(
    @Ctx() ctx: RequestContext,
    @Arg("first", () => Int, firstArg(20)) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.labeling.list(ctx.viewer, first, after);
  }

  @Extensions(fieldCost.bulkWrite)
  @Mutation(() => DatasetVersion, {
    description:
      "Labels items of a batch: one new dataset version with them labelled (a prediction pool's images added to the target " +
      "dataset) and feedback on their predictions. The same labels again return the same version; other labels after a submit are a CONFLICT",
  })
  submitLabels(
    @Ctx() ctx: RequestContext,
    @Arg("batchId", () => ID) batchId: string,
    @Arg("labels", () => [LabelInput], { description: `1 to ${limits.labeling.batchSize}, each item once` })
    labels: LabelInput[],
  ) {
    return ctx.services.labeling.submit(ctx.viewer, batchId, labels);
  }

  @FieldResolver(() => [LabelingItem])
  items(@Root() batch: LabelingBatch, @Ctx() ctx: RequestContext) {
    return ctx.loaders.labelingItemsByBatchId.load(batch.id);
  }

  @FieldResolver(() => [String], { description: "The model's labels, for the picker" })
  async labels(@Root() batch: LabelingBatch, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.versionById.load(batch.modelVersionId))?.labels ?? [];
  }

  @FieldResolver(() => ModelVersion, { nullable: true, description: "Null once you may no longer see it" })
  modelVersion(@Root() batch: LabelingBatch, @Ctx() ctx: RequestContext) {
    return visibleModelVersion(ctx, batch.modelVersionId);
  }

  @FieldResolver(() => ModelVersion, {
    nullable: true,
    description: "The model version whose prediction log is the pool (null for a dataset pool)",
  })
  predictionsOf(@Root() batch: LabelingBatch, @Ctx() ctx: RequestContext) {
    return batch.predictionsOfId ? visibleModelVersion(ctx, batch.predictionsOfId) : null;
  }

  @FieldResolver(() => DatasetVersion, {
    nullable: true,
    description:
      "The pool's version; for a prediction pool, the target dataset's version when the batch was made (labels join its newest)",
  })
  datasetVersion(@Root() batch: LabelingBatch, @Ctx() ctx: RequestContext) {
    return batch.datasetVersionId ? visibleDatasetVersion(ctx, batch.datasetVersionId) : null;
  }

  @FieldResolver(() => DatasetVersion, { nullable: true, description: "What submitLabels made" })
  resultVersion(@Root() batch: LabelingBatch, @Ctx() ctx: RequestContext) {
    return batch.resultVersionId ? visibleDatasetVersion(ctx, batch.resultVersionId) : null;
  }
}

@Resolver(() => LabelingItem)
export class LabelingItemResolver {
  @FieldResolver(() => Sample, {
    nullable: true,
    description:
      "The pool sample, as the batch's version holds it (its class once submitted); a prediction's image once it joined the dataset",
  })
  async sample(@Root() item: LoadedLabelingItem, @Ctx() ctx: RequestContext) {
    if (!item.sampleId) return null;
    const sample = await ctx.loaders.sampleInVersion.load({
      sampleId: item.sampleId,
      versionId: item.sampleVersionId,
    });
    const dataset = sample ? await ctx.loaders.datasetById.load(sample.datasetId) : null;
    return dataset && canSee(ctx.viewer, dataset) ? sample : null;
  }

  @FieldResolver(() => Prediction, {
    nullable: true,
    description:
      "The model's scores for it: a logged prediction, or the one scored for the batch; null once it expired or you may no longer see it",
  })
  prediction(@Root() item: LabelingItem, @Ctx() ctx: RequestContext) {
    return item.predictionId ? visiblePrediction(ctx, item.predictionId) : null;
  }
}

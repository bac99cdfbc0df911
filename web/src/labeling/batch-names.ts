import type { LabelingBatchSummaryFragment } from "../gql/graphql";

/** `ada/pets-classifier 3`, or a placeholder once the model is no longer visible. */
export function modelName(modelVersion: LabelingBatchSummaryFragment["modelVersion"]): string {
  if (!modelVersion) return "A model you can no longer see";
  const { model, version } = modelVersion;
  return `${model.owner.handle}/${model.slug} ${version}`;
}

/** Where the batch's items came from, in words. */
export function poolName(batch: LabelingBatchSummaryFragment): string {
  if (batch.predictionsOf) {
    return `Predictions of ${batch.predictionsOf.model.name} ${batch.predictionsOf.version}`;
  }
  const version = batch.datasetVersion;
  return version
    ? `Unlabeled samples of ${version.dataset.name} v${version.number}`
    : "A dataset version you can no longer see";
}

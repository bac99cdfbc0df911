import { invalidArgument } from "../../runtime/errors";
import type { LabelledFeatures, TrainHeadOptions } from "../contracts";

function checkVector(vector: Float32Array | undefined, dimension: number, where: string): void {
  if (vector === undefined || vector.length !== dimension) {
    throw invalidArgument(
      `${where} has ${vector?.length ?? 0} values, expected ${dimension} like the first sample`,
    );
  }
  for (const value of vector) {
    if (!Number.isFinite(value))
      throw invalidArgument(`${where} holds ${value}; features must be finite numbers`);
  }
}

function checkLabel(label: number, classes: number, where: string): void {
  if (label >= classes)
    throw invalidArgument(`${where} has label ${label}, expected an index below ${classes}`);
}

function checkSplit(name: string, split: LabelledFeatures, dimension: number, classes: number): void {
  if (split.features.length !== split.labels.length) {
    throw invalidArgument(
      `${name} has ${split.features.length} feature vectors and ${split.labels.length} labels`,
    );
  }
  split.features.forEach((vector, index) => checkVector(vector, dimension, `${name} sample ${index}`));
  split.labels.forEach((label, index) => checkLabel(label, classes, `${name} sample ${index}`));
}

/** Checks the shapes of everything the trainer is given; returns the feature dimension. */
export function checkTrainingInputs(options: TrainHeadOptions): number {
  const { classes, labels, train } = options;
  if (!Number.isInteger(classes) || classes < 2)
    throw invalidArgument(`a head needs at least 2 classes, got ${classes}`);
  if (labels.length !== classes)
    throw invalidArgument(`got ${labels.length} label names for ${classes} classes`);
  if (train.labels.length === 0) throw invalidArgument("there are no training samples");
  if (train.variants.length !== train.labels.length) {
    throw invalidArgument(
      `training has ${train.variants.length} samples' features and ${train.labels.length} labels`,
    );
  }
  const dimension = train.variants[0]?.[0]?.length ?? 0;
  if (dimension === 0) throw invalidArgument("training sample 0 has no feature vector");
  train.variants.forEach((variants, index) => {
    if (variants.length === 0) throw invalidArgument(`training sample ${index} has no feature vector`);
    variants.forEach((vector, variant) =>
      checkVector(vector, dimension, `training sample ${index} (variant ${variant})`),
    );
  });
  train.labels.forEach((label, index) => checkLabel(label, classes, `training sample ${index}`));
  checkSplit("validation", options.validation, dimension, classes);
  if (options.test !== null) checkSplit("test", options.test, dimension, classes);
  return dimension;
}

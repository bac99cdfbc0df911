import type { Hyperparameters } from "@tessera/proto/generated/tessera/training/v1/Hyperparameters";
import {
  searchableParameters,
  type Optimizer,
  type TrainingOptions,
  type TrialParams,
} from "../training-contracts";
import { trainingOptionNames, trainingOptionSpec, type TrainingOptionName } from "../training-option-spec";

/** The job's options with one trial's parameters in place of the job-wide values. */
export function trialOptions(options: TrainingOptions, params: TrialParams): TrainingOptions {
  const effective = { ...options };
  for (const name of searchableParameters) {
    const value = params[name];
    if (value === undefined) continue;
    if (name === "optimizer") effective.optimizer = value as Optimizer;
    else effective[name] = Number(value);
  }
  return effective;
}

/**
 * One weight per label, by training-split counts. BALANCED gives class c the weight
 * n / (k · count_c), so every class contributes equally to the loss; explicit `classWeights`
 * override by name. Empty (all 1) when nothing asks for weights.
 */
export function classWeights(
  options: TrainingOptions,
  labels: readonly string[],
  trainCounts: readonly number[],
): number[] {
  const explicit = options.classWeights ?? {};
  if (options.classWeighting !== "BALANCED" && Object.keys(explicit).length === 0) return [];
  const total = trainCounts.reduce((sum, count) => sum + count, 0);
  return labels.map((label, index) => {
    const given = explicit[label];
    if (given !== undefined) return given;
    const count = trainCounts[index] ?? 0;
    return options.classWeighting === "BALANCED" && count > 0 ? total / (labels.length * count) : 1;
  });
}

/** Augmented copies count only with augmentation on; 0 tells the tier to train on the originals. */
const augmentedCopies = (options: TrainingOptions) =>
  options.enableDataAugmentation ? options.augmentedCopies : 0;

/** An option's value as the tier takes it: class weights become one weight per label. */
function tierValue(
  name: TrainingOptionName,
  options: TrainingOptions,
  labels: readonly string[],
  trainCounts: readonly number[],
): unknown {
  if (name === "augmentedCopies") return augmentedCopies(options);
  if (name === "classWeights") return classWeights(options, labels, trainCounts);
  return options[name];
}

/** The tier's Hyperparameters message for one trial: each option under its `proto` field in the options table. */
export function toHyperparameters(
  options: TrainingOptions,
  labels: readonly string[],
  trainCounts: readonly number[],
): Hyperparameters {
  const message: Record<string, unknown> = {};
  for (const name of trainingOptionNames) {
    const field = trainingOptionSpec(name).proto;
    if (field) message[field] = tierValue(name, options, labels, trainCounts);
  }
  return message as Hyperparameters;
}

/**
 * What a registered version records as its hyperparameters: the values the exported head was
 * trained with (a search's settings left out, the best trial's parameters in).
 */
export function recordedHyperparameters(options: TrainingOptions): Record<string, unknown> {
  return Object.fromEntries(
    trainingOptionNames
      .filter((name) => !trainingOptionSpec(name).searchSetting)
      .map((name) => [name, name === "augmentedCopies" ? augmentedCopies(options) : options[name]]),
  );
}

import type { Hyperparameters } from "@tessera/inference/generated/tessera/training/v1/Hyperparameters";
import {
  searchableParameters,
  type Optimizer,
  type TrainingOptions,
  type TrialParams,
} from "../training-contracts";

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

/** The tier's Hyperparameters message for one trial. */
export function toHyperparameters(
  options: TrainingOptions,
  labels: readonly string[],
  trainCounts: readonly number[],
): Hyperparameters {
  return {
    learning_rate: options.learningRate,
    epochs: options.epochs,
    batch_size: options.batchSize,
    trainable_layers_count: options.trainableLayersCount,
    hidden_units: options.hiddenUnits,
    dropout: options.dropout,
    weight_decay: options.weightDecay,
    optimizer: options.optimizer,
    momentum: options.momentum,
    schedule: options.lrSchedule,
    step_size: options.lrStepSize,
    gamma: options.lrGamma,
    plateau_patience: options.lrPlateauPatience,
    plateau_factor: options.lrPlateauFactor,
    early_stopping: options.enableEarlyStopping,
    patience: options.patience,
    min_delta: options.minDelta,
    monitor: options.monitor,
    augmented_copies: options.enableDataAugmentation ? options.augmentedCopies : 0,
    class_weights: classWeights(options, labels, trainCounts),
    seed: options.seed,
  };
}

/**
 * What a registered version records as its hyperparameters: the values the exported head was
 * trained with (a search's settings left out, the best trial's parameters in).
 */
export function recordedHyperparameters(options: TrainingOptions): Record<string, unknown> {
  return {
    learningRate: options.learningRate,
    epochs: options.epochs,
    batchSize: options.batchSize,
    validationSplit: options.validationSplit,
    useTransferLearning: options.useTransferLearning,
    freezeBaseModel: options.freezeBaseModel,
    trainableLayersCount: options.trainableLayersCount,
    hiddenUnits: options.hiddenUnits,
    dropout: options.dropout,
    weightDecay: options.weightDecay,
    optimizer: options.optimizer,
    momentum: options.momentum,
    lrSchedule: options.lrSchedule,
    lrStepSize: options.lrStepSize,
    lrGamma: options.lrGamma,
    lrPlateauPatience: options.lrPlateauPatience,
    lrPlateauFactor: options.lrPlateauFactor,
    enableEarlyStopping: options.enableEarlyStopping,
    patience: options.patience,
    minDelta: options.minDelta,
    monitor: options.monitor,
    enableDataAugmentation: options.enableDataAugmentation,
    augmentedCopies: options.enableDataAugmentation ? options.augmentedCopies : 0,
    classWeighting: options.classWeighting,
    classWeights: options.classWeights,
    seed: options.seed,
    featureOutput: options.featureOutput,
  };
}

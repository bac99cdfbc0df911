import type { SearchDimension, TrainingOptions } from "./training-contracts";

/**
 * What a job runs with when the input leaves an option out: a small, regularised head trained
 * with Adam, stopped early on validation loss, reproducible (fixed seed). GraphQL shows these as
 * the input's default values.
 */
export const trainingDefaults = {
  learningRate: 1e-3,
  epochs: 20,
  batchSize: 32,
  validationSplit: 0.2,
  useTransferLearning: true,
  freezeBaseModel: true,
  trainableLayersCount: 1,
  hiddenUnits: 128,
  dropout: 0.2,
  weightDecay: 0,
  optimizer: "ADAM",
  momentum: 0.9,
  lrSchedule: "CONSTANT",
  lrStepSize: 10,
  lrGamma: 0.1,
  lrPlateauPatience: 3,
  lrPlateauFactor: 0.5,
  enableEarlyStopping: true,
  patience: 5,
  minDelta: 0,
  monitor: "val_loss",
  enableDataAugmentation: false,
  augmentedCopies: 2,
  classWeighting: "NONE",
  seed: 42,
  enableHyperparameterTuning: false,
  strategy: "BAYESIAN",
  maxTrials: 10,
  pruneTrials: true,
} as const satisfies Omit<TrainingOptions, "classWeights" | "featureOutput" | "hpSpace">;

/** Searched when tuning is on and no hpSpace is given (the CLI's --optimize-hyperparams). */
export const defaultSearchSpace: SearchDimension[] = [
  { name: "learningRate", min: 1e-4, max: 1e-2, logScale: true },
  { name: "dropout", min: 0, max: 0.5 },
  { name: "hiddenUnits", values: [64, 128, 256] },
];

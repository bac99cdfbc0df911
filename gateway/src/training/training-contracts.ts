/**
 * The shapes the training pieces of the gateway share: the validated options stored on a
 * TrainingJob row (`options` Json), and the events of a job's log (`TrainingEvent` rows) that
 * subscribers receive as the `TrainingEvent` union.
 */

import type { SearchableParameter } from "./training-option-spec";

export type Optimizer = "SGD" | "ADAM";
export type LearningRateSchedule = "CONSTANT" | "STEP" | "COSINE" | "ON_PLATEAU";
export type Monitor = "val_loss" | "val_accuracy" | "loss" | "accuracy";
export type SearchStrategy = "GRID" | "RANDOM" | "BAYESIAN";
export type ClassWeighting = "NONE" | "BALANCED";

/** Hyperparameters a search may vary (the names of TrainingInput's fields), from the options table. */
export { searchableParameters, type SearchableParameter } from "./training-option-spec";

/**
 * One dimension of a search: a numeric range (`min`…`max`, `logScale`, `integer` for counts;
 * GRID takes `steps` points from it), or a list of `values`/`choices` to pick from.
 */
export interface SearchDimension {
  name: SearchableParameter;
  min?: number;
  max?: number;
  logScale?: boolean;
  integer?: boolean;
  steps?: number;
  values?: number[];
  choices?: string[];
}

/** A trial's parameter values, by name. */
export type TrialParams = Partial<Record<SearchableParameter, number | string>>;

export interface TrainingOptions {
  learningRate: number;
  epochs: number;
  batchSize: number;
  validationSplit: number;
  useTransferLearning: boolean;
  freezeBaseModel: boolean;
  trainableLayersCount: number;
  hiddenUnits: number;
  dropout: number;
  weightDecay: number;
  optimizer: Optimizer;
  momentum: number;
  lrSchedule: LearningRateSchedule;
  lrStepSize: number;
  lrGamma: number;
  lrPlateauPatience: number;
  lrPlateauFactor: number;
  enableEarlyStopping: boolean;
  patience: number;
  minDelta: number;
  monitor: Monitor;
  enableDataAugmentation: boolean;
  augmentedCopies: number;
  classWeighting: ClassWeighting;
  /** Explicit weights by class name; classes left out weigh 1 (or their BALANCED weight). */
  classWeights: Record<string, number>;
  seed: number;
  /** The base model output read as features; null → chosen by the tier. */
  featureOutput: string | null;
  enableHyperparameterTuning: boolean;
  hpSpace: SearchDimension[];
  strategy: SearchStrategy;
  maxTrials: number;
  /** Stop trials early whose monitored metric is worse than the median of earlier trials. */
  pruneTrials: boolean;
}

export type TrialState = "PENDING" | "RUNNING" | "SUCCEEDED" | "PRUNED" | "FAILED" | "CANCELLED";
export type JobState = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

/** The payload of each event type in a job's log; `seq` orders them per job. */
export interface TrainingEventPayloads {
  progress: {
    status: JobState;
    /** "QUEUED" | "FEATURES" (extracting features) | "TRAINING" | "EXPORTING" */
    phase: "QUEUED" | "FEATURES" | "TRAINING" | "EXPORTING";
    trial: number;
    epoch: number;
    totalEpochs: number;
    step: number;
    totalSteps: number;
    /** 0…1 over the whole job (every trial). */
    progress: number;
  };
  metrics: { trial: number; epoch: number; values: Record<string, number> };
  trial: {
    trial: number;
    state: TrialState;
    params: TrialParams;
    objective: number | null;
    epochsRun: number;
  };
  completed: { resultModelVersionId: string; evaluation: unknown };
  failed: { status: "FAILED" | "CANCELLED"; reason: string };
}

export type TrainingEventType = keyof TrainingEventPayloads;

export type TrainingEventRecord = {
  [T in TrainingEventType]: {
    jobId: string;
    seq: number;
    type: T;
    payload: TrainingEventPayloads[T];
    createdAt: Date;
  };
}[TrainingEventType];

import type {
  Job as JobRow,
  TrainingJob as TrainingJobRow,
  TrainingTrial as TrainingTrialRow,
} from "../generated/prisma/client";
import {
  searchableParameters,
  type SearchableParameter,
  type TrainingOptions as StoredOptions,
  type TrialParams,
} from "./training-contracts";
import type { TrainingStatus, TrialStatus } from "./training-enums";
import type { TrainingOptions } from "./training-options.types";
import type {
  EvaluationReport,
  MetricValue,
  SplitCounts,
  TrainingJob,
  TrainingTrial,
  TrialParam,
} from "./training.types";

/** An evaluation as the worker stores it: the confusion matrix flat, row-major, row = true class. */
export interface StoredEvaluation {
  split: string;
  count: number;
  accuracy: number;
  loss: number;
  perClass: Array<{ label: string; precision: number; recall: number; f1: number; support: number }>;
  confusionMatrix: number[];
  calibrationError: number;
  /** Final evaluations only (absent on jobs trained before they were kept). */
  reliability?: StoredReliabilityBin[];
  samples?: StoredSampleResults;
}

/** The samples whose confidence lies in (lower, upper]. */
export interface StoredReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean confidence of the bin's samples (0 when empty). */
  confidence: number;
  accuracy: number;
}

/**
 * Per evaluated sample, as parallel arrays (a tenth of the JSON of one object per sample): the
 * sample, its true and predicted label indexes (into the job's labels) and the predicted label's
 * probability. `omitted` counts the split's samples left out beyond the stored bound.
 */
export interface StoredSampleResults {
  sampleIds: string[];
  actual: number[];
  predicted: number[];
  confidence: number[];
  omitted: number;
}

/** TrainingJob.evaluation as the worker stores it. */
export interface StoredJobEvaluation {
  validation: StoredEvaluation | null;
  test: StoredEvaluation | null;
}

/** A training row with its Job, which holds the lifecycle. */
export type TrainingJobWithJob = TrainingJobRow & { job: JobRow };

export function toTrainingJob(row: TrainingJobWithJob): TrainingJob {
  const evaluation = row.evaluation as StoredJobEvaluation | null;
  return {
    id: row.id,
    ownerId: row.ownerId,
    datasetVersionId: row.datasetVersionId,
    baseModelVersionId: row.baseModelVersionId,
    status: row.job.status as TrainingStatus,
    progress: row.job.progress,
    currentEpoch: row.currentEpoch,
    totalEpochs: row.totalEpochs,
    cancelRequested: row.job.cancelRequested,
    targetModelSlug: row.targetModelSlug,
    options: toOptions(row.options as unknown as StoredOptions),
    labels: row.labels,
    splitCounts: toSplitCounts(row.splitCounts),
    evaluation: toEvaluation(evaluation?.validation ?? null, row.labels),
    testEvaluation: toEvaluation(evaluation?.test ?? null, row.labels),
    error: row.job.errorMessage,
    attempts: row.job.attempts,
    createdAt: row.createdAt,
    startedAt: row.job.startedAt,
    finishedAt: row.job.finishedAt,
  };
}

export function toOptions(stored: StoredOptions): TrainingOptions {
  return {
    ...stored,
    optimizer: stored.optimizer as TrainingOptions["optimizer"],
    lrSchedule: stored.lrSchedule as TrainingOptions["lrSchedule"],
    monitor: stored.monitor as TrainingOptions["monitor"],
    classWeighting: stored.classWeighting as TrainingOptions["classWeighting"],
    strategy: stored.strategy as TrainingOptions["strategy"],
    classWeights: Object.entries(stored.classWeights).map(([label, weight]) => ({ label, weight })),
    hpSpace: stored.hpSpace.map((d) => ({
      name: d.name,
      min: d.min ?? null,
      max: d.max ?? null,
      logScale: d.logScale ?? null,
      integer: d.integer ?? null,
      steps: d.steps ?? null,
      values: d.values ?? null,
      choices: d.choices ?? null,
    })),
  };
}

export function toTrial(row: Omit<TrainingTrialRow, "checkpoint">, labels: string[]): TrainingTrial {
  return {
    number: row.number,
    params: toParams(row.params as TrialParams),
    status: row.status as TrialStatus,
    objective: row.objective,
    bestEpoch: row.bestEpoch,
    epochsRun: row.epochsRun,
    metrics: toMetricValues((row.metrics as Record<string, number> | null) ?? {}),
    evaluation: toEvaluation(row.evaluation as StoredEvaluation | null, labels),
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    error: row.error,
  };
}

/** In the order TrainingInput lists the parameters (stored JSON keeps no order). */
export function toParams(params: TrialParams): TrialParam[] {
  const position = (name: string) => searchableParameters.indexOf(name as SearchableParameter);
  const entries = Object.entries(params).sort(([a], [b]) => position(a) - position(b));
  return entries.map(([name, value]) => ({
    name,
    value: typeof value === "number" ? value : null,
    choice: typeof value === "string" ? value : null,
  }));
}

export function toMetricValues(values: Record<string, number>): MetricValue[] {
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}

/** The flat matrix becomes rows of `labels.length` (rows = true class). */
export function toEvaluation(stored: StoredEvaluation | null, labels: string[]): EvaluationReport | null {
  if (!stored) return null;
  const classes = labels.length || Math.round(Math.sqrt(stored.confusionMatrix.length));
  const rows: number[][] = [];
  for (let row = 0; row < classes; row++) {
    rows.push(stored.confusionMatrix.slice(row * classes, (row + 1) * classes));
  }
  return {
    split: String(stored.split).toLowerCase(),
    count: stored.count,
    accuracy: stored.accuracy,
    loss: stored.loss,
    labels,
    perClass: stored.perClass,
    confusionMatrix: rows,
    calibrationError: stored.calibrationError,
  };
}

function toSplitCounts(stored: unknown): SplitCounts | null {
  if (!stored || typeof stored !== "object") return null;
  const counts = stored as Partial<SplitCounts>;
  return {
    train: counts.train ?? 0,
    validation: counts.validation ?? 0,
    test: counts.test ?? 0,
    validationFrom: counts.validationFrom ?? null,
  };
}

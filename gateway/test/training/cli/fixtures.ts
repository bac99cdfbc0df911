import type { FinishedJob, StartedJob, TrainingEvent } from "../../../src/training/cli/training-documents";

/** Jobs and events as the gateway answers them, for the CLI's rendering tests. */

export const startedJob = (options: Partial<StartedJob["options"]> = {}): StartedJob => ({
  id: "5f0c2d9e-0000-4000-8000-000000000001",
  status: "QUEUED",
  progress: 0,
  currentEpoch: 0,
  totalEpochs: 10,
  targetModelSlug: "texture-classifier",
  labels: ["blue-dots", "red-stripes"],
  error: null,
  options: {
    epochs: 10,
    enableHyperparameterTuning: false,
    strategy: "BAYESIAN",
    maxTrials: 10,
    monitor: "VAL_LOSS",
    ...options,
  },
});

const at = { seq: 1, at: "2026-11-22T10:00:00.000Z" };

export const progressEvent = (
  fields: Partial<Extract<TrainingEvent, { __typename: "TrainingProgressEvent" }>>,
) =>
  ({
    __typename: "TrainingProgressEvent",
    ...at,
    status: "RUNNING",
    phase: "TRAINING",
    trial: 0,
    epoch: 1,
    totalEpochs: 10,
    step: 0,
    totalSteps: 4,
    progress: 0,
    ...fields,
  }) as TrainingEvent;

export const metricsEvent = (epoch: number, values: Record<string, number>, trial = 0): TrainingEvent => ({
  __typename: "TrainingMetricsEvent",
  ...at,
  trial,
  epoch,
  values: Object.entries(values).map(([name, value]) => ({ name, value })),
});

export const trialEvent = (
  trial: number,
  state: string,
  fields: { objective?: number | null; epochsRun?: number } = {},
): TrainingEvent => ({
  __typename: "TrialEvent",
  ...at,
  trial,
  state,
  objective: fields.objective ?? null,
  epochsRun: fields.epochsRun ?? 0,
  params: [
    { name: "learningRate", value: 0.0012345, choice: null },
    { name: "optimizer", value: null, choice: "ADAM" },
  ],
});

export const finishedJob = (fields: Partial<FinishedJob> = {}): FinishedJob => ({
  ...startedJob(),
  status: "SUCCEEDED",
  progress: 1,
  currentEpoch: 10,
  splitCounts: { train: 16, validation: 4, test: 0 },
  evaluation: {
    split: "validation",
    count: 4,
    accuracy: 0.75,
    loss: 0.51234,
    labels: ["blue-dots", "red-stripes"],
    calibrationError: 0.0812,
    confusionMatrix: [
      [2, 0],
      [1, 1],
    ],
    perClass: [
      { label: "blue-dots", precision: 2 / 3, recall: 1, f1: 0.8, support: 2 },
      { label: "red-stripes", precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
    ],
  },
  testEvaluation: null,
  trials: [{ number: 0, status: "SUCCEEDED", objective: 0.51234, bestEpoch: 9, epochsRun: 10, params: [] }],
  resultModelVersion: {
    id: "9a1b2c3d-0000-4000-8000-000000000002",
    version: "v3",
    model: { slug: "texture-classifier", owner: { handle: "ada" } },
  },
  ...fields,
});

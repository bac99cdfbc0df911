/** Training jobs as the API answers TrainingComparisonJob and TrainingJobs, for the comparison tests. */

export const options = {
  __typename: "TrainingOptions",
  learningRate: 0.001,
  epochs: 3,
  batchSize: 32,
  validationSplit: 0.2,
  seed: 42,
  useTransferLearning: true,
  freezeBaseModel: true,
  featureOutput: null,
  trainableLayersCount: 1,
  hiddenUnits: 128,
  dropout: 0.2,
  optimizer: "ADAM",
  momentum: 0.9,
  weightDecay: 0,
  lrSchedule: "CONSTANT",
  lrStepSize: 10,
  lrGamma: 0.1,
  lrPlateauPatience: 3,
  lrPlateauFactor: 0.5,
  enableEarlyStopping: true,
  patience: 5,
  minDelta: 0,
  monitor: "VAL_LOSS",
  enableDataAugmentation: false,
  augmentedCopies: 2,
  classWeighting: "NONE",
  classWeights: [],
  enableHyperparameterTuning: false,
  strategy: "BAYESIAN",
  maxTrials: 10,
  pruneTrials: true,
  hpSpace: [],
};

const user = { __typename: "User", id: "user-1", handle: "ada" };

export function jobRow(id: string, slug: string, finalMetric: { name: string; value: number } | null) {
  return {
    __typename: "TrainingJob",
    id,
    status: "SUCCEEDED",
    progress: 1,
    currentEpoch: 3,
    totalEpochs: 3,
    targetModelSlug: slug,
    cancelRequested: false,
    createdAt: "2026-01-01T10:00:00.000Z",
    startedAt: "2026-01-01T10:00:01.000Z",
    finishedAt: "2026-01-01T10:01:00.000Z",
    owner: user,
    datasetVersion: null,
    baseModelVersion: null,
    resultModelVersion: null,
    finalMetric: finalMetric && { __typename: "FinalMetric", ...finalMetric },
  };
}

export function trial(number: number, objective: number, learningRate: number | null) {
  return {
    __typename: "TrainingTrial",
    number,
    status: "SUCCEEDED",
    objective,
    bestEpoch: 2,
    epochsRun: 3,
    error: null,
    startedAt: null,
    finishedAt: null,
    params:
      learningRate === null
        ? []
        : [{ __typename: "TrialParam", name: "learningRate", value: learningRate, choice: null }],
    metrics: [],
  };
}

/** val_loss 1/epoch + offset, val_accuracy epoch/4 - offset, for each trial and epoch 1…3. */
export function history(trials: number[], offset: number) {
  return trials.flatMap((trialNumber) =>
    [1, 2, 3].flatMap((epoch) => [
      {
        __typename: "TrainingMetricPoint",
        trial: trialNumber,
        epoch,
        name: "val_loss",
        value: 1 / epoch + offset + trialNumber / 10,
      },
      {
        __typename: "TrainingMetricPoint",
        trial: trialNumber,
        epoch,
        name: "val_accuracy",
        value: epoch / 4 - offset,
      },
    ]),
  );
}

/** Job a: a search of two trials over the learning rate; job b: one trial with SGD. */
export const comparedJobs = {
  a: {
    ...jobRow("job-a", "colours", { name: "val_loss", value: 0.6 }),
    labels: ["blue", "red"],
    options,
    evaluation: { __typename: "EvaluationReport", accuracy: 0.9, loss: 0.6 },
    testEvaluation: null,
    trials: [trial(0, 0.7, 0.01), trial(1, 0.6, 0.001)],
    metrics: history([0, 1], 0.1),
  },
  b: {
    ...jobRow("job-b", "colours", { name: "val_loss", value: 0.5 }),
    labels: ["blue", "red"],
    options: { ...options, optimizer: "SGD" },
    evaluation: { __typename: "EvaluationReport", accuracy: 0.95, loss: 0.5 },
    testEvaluation: null,
    trials: [trial(0, 0.5, null)],
    metrics: history([0], 0),
  },
};

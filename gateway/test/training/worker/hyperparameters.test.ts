import { describe, expect, it } from "vitest";
import { trainingDefaults } from "../../../src/training/training-defaults";
import type { TrainingOptions } from "../../../src/training/training-contracts";
import {
  classWeights,
  recordedHyperparameters,
  toHyperparameters,
  trialOptions,
} from "../../../src/training/worker/hyperparameters";

const options = (changes: Partial<TrainingOptions> = {}): TrainingOptions => ({
  ...trainingDefaults,
  classWeights: {},
  featureOutput: null,
  hpSpace: [],
  ...changes,
});

const labels = ["cat", "dog", "fox"];

describe("class weights", () => {
  it("are empty (all 1) unless balanced or given", () => {
    expect(classWeights(options(), labels, [10, 20, 30])).toEqual([]);
  });

  it("BALANCED weighs class c by n / (k · count_c)", () => {
    expect(classWeights(options({ classWeighting: "BALANCED" }), labels, [10, 20, 30])).toEqual([
      2,
      1,
      60 / 90,
    ]);
  });

  it("explicit weights override by name; the others stay 1, or balanced", () => {
    expect(classWeights(options({ classWeights: { dog: 3 } }), labels, [10, 20, 30])).toEqual([1, 3, 1]);
    expect(
      classWeights(options({ classWeighting: "BALANCED", classWeights: { cat: 0.5 } }), labels, [10, 20, 30]),
    ).toEqual([0.5, 1, 60 / 90]);
  });
});

describe("the tier's hyperparameters", () => {
  it("carry every option under the proto's names", () => {
    const message = toHyperparameters(
      options({
        learningRate: 0.01,
        epochs: 7,
        batchSize: 16,
        optimizer: "SGD",
        lrSchedule: "STEP",
        lrStepSize: 3,
        lrGamma: 0.5,
        enableEarlyStopping: true,
        patience: 2,
        minDelta: 0.01,
        monitor: "val_accuracy",
        seed: 9,
      }),
      labels,
      [1, 1, 1],
    );
    expect(message).toMatchObject({
      learning_rate: 0.01,
      epochs: 7,
      batch_size: 16,
      optimizer: "SGD",
      schedule: "STEP",
      step_size: 3,
      gamma: 0.5,
      early_stopping: true,
      patience: 2,
      min_delta: 0.01,
      monitor: "val_accuracy",
      seed: 9,
      class_weights: [],
    });
  });

  it("ask for augmented copies only with data augmentation on", () => {
    expect(toHyperparameters(options({ augmentedCopies: 3 }), labels, [1, 1, 1]).augmented_copies).toBe(0);
    const augmented = options({ augmentedCopies: 3, enableDataAugmentation: true });
    expect(toHyperparameters(augmented, labels, [1, 1, 1]).augmented_copies).toBe(3);
  });

  it("take a trial's parameters over the job's", () => {
    const trial = trialOptions(options({ learningRate: 0.1 }), {
      learningRate: 0.003,
      optimizer: "SGD",
      hiddenUnits: 64,
    });
    expect(trial).toMatchObject({ learningRate: 0.003, optimizer: "SGD", hiddenUnits: 64, batchSize: 32 });
    expect(recordedHyperparameters(trial)).toMatchObject({
      learningRate: 0.003,
      optimizer: "SGD",
      augmentedCopies: 0,
    });
    expect(recordedHyperparameters(trial)).not.toHaveProperty("hpSpace");
  });
});

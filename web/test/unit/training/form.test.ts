import { describe, expect, it } from "vitest";
import { LearningRateSchedule, MonitoredMetric, Optimizer, SearchStrategy } from "../../../src/gql/graphql";
import { newHpRow } from "../../../src/training/hp-space";
import {
  defaultTrainingForm,
  formFromJob,
  trainingInput,
  type TrainingForm,
} from "../../../src/training/training-form";
import { trainingFormErrors } from "../../../src/training/training-form-validation";

const ready = (patch: Partial<TrainingForm> = {}): TrainingForm => ({
  ...defaultTrainingForm(),
  datasetVersionId: "dataset-version-1",
  baseModelVersionId: "embedder-v1",
  targetModelSlug: "flowers",
  ...patch,
});

describe("the start form's checks", () => {
  it("accept the server's defaults once the dataset, base and target are chosen", () => {
    expect(trainingFormErrors(defaultTrainingForm(), null)).toEqual({
      datasetVersionId: "Choose the dataset version to train on",
      baseModelVersionId: "Choose the base model whose features to train on",
      targetModelSlug: "Name the model that gets the trained version, e.g. flowers-classifier",
    });
    expect(trainingFormErrors(ready(), ["daisy", "rose"])).toEqual({});
  });

  it("refuse what the server refuses, under the field it would name", () => {
    const errors = trainingFormErrors(
      ready({
        learningRate: "0",
        epochs: "0",
        validationSplit: "1",
        batchSize: "0.5",
        dropout: "1",
        trainableLayersCount: "9",
        seed: "",
        targetModelSlug: "Flowers!",
      }),
      null,
    );
    expect(errors).toEqual({
      learningRate: "learningRate must be greater than 0",
      epochs: "epochs must be at least 1",
      validationSplit: "validationSplit must be greater than 0 and less than 1",
      batchSize: "batchSize must be a whole number",
      dropout: "dropout must be at least 0 and less than 1",
      trainableLayersCount: "trainableLayersCount must be from 0 to 8",
      seed: "seed must be a number",
      targetModelSlug:
        '"Flowers!" is not a valid slug: use 1–100 lowercase letters, digits, ".", "_" or "-", starting and ending with a letter or digit',
    });
  });

  it("check only the options that apply to the choices made", () => {
    const hidden = ready({
      momentum: "2",
      lrGamma: "0",
      patience: "0",
      augmentedCopies: "99",
      maxTrials: "0",
    });
    hidden.enableEarlyStopping = false;
    expect(trainingFormErrors(hidden, null)).toEqual({});
    const shown = {
      ...hidden,
      optimizer: Optimizer.Sgd,
      lrSchedule: LearningRateSchedule.Step,
      enableEarlyStopping: true,
      enableDataAugmentation: true,
      enableHyperparameterTuning: true,
    };
    expect(Object.keys(trainingFormErrors(shown, null)).sort()).toEqual([
      "augmentedCopies",
      "lrGamma",
      "maxTrials",
      "momentum",
      "patience",
    ]);
  });

  it("refuse training from scratch and unfrozen bases, which the tier does not do", () => {
    const errors = trainingFormErrors(ready({ useTransferLearning: false, freezeBaseModel: false }), null);
    expect(Object.keys(errors)).toEqual(["useTransferLearning", "freezeBaseModel"]);
  });

  it("check explicit class weights against the dataset version's classes", () => {
    const form = ready({
      classWeights: [
        { id: 1, label: "daisy", weight: "2" },
        { id: 2, label: "tulip", weight: "1" },
        { id: 3, label: "daisy", weight: "0" },
      ],
    });
    expect(trainingFormErrors(form, ["daisy", "rose"])).toEqual({
      "classWeights[1]": '"tulip" is not a class of the chosen dataset version',
      "classWeights[2]": '"daisy" is given twice',
      "classWeights[2].weight": "The weight must be a number greater than 0",
    });
  });
});

describe("what the form sends", () => {
  it("sends the shown options as numbers and leaves hidden ones to the server's defaults", () => {
    const input = trainingInput(ready({ learningRate: "1e-3", epochs: " 6 ", featureOutput: " " }));
    expect(input).toEqual({
      datasetVersionId: "dataset-version-1",
      baseModelVersionId: "embedder-v1",
      targetModelSlug: "flowers",
      useTransferLearning: true,
      freezeBaseModel: true,
      optimizer: "ADAM",
      lrSchedule: "CONSTANT",
      enableEarlyStopping: true,
      monitor: "VAL_LOSS",
      enableDataAugmentation: false,
      classWeighting: "NONE",
      enableHyperparameterTuning: false,
      epochs: 6,
      batchSize: 32,
      validationSplit: 0.2,
      seed: 42,
      trainableLayersCount: 1,
      hiddenUnits: 128,
      dropout: 0.2,
      learningRate: 0.001,
      weightDecay: 0,
      patience: 5,
      minDelta: 0,
    });
  });

  it("sends the search with its space, and class weights, when they are set", () => {
    const input = trainingInput(
      ready({
        enableHyperparameterTuning: true,
        strategy: SearchStrategy.Grid,
        maxTrials: "4",
        hpSpace: [{ ...newHpRow(1, "learningRate"), steps: "4" }, newHpRow(2, "optimizer")],
        classWeights: [{ id: 1, label: "rose", weight: "2.5" }],
      }),
    );
    expect(input.maxTrials).toBe(4);
    expect(input.strategy).toBe("GRID");
    expect(input.pruneTrials).toBe(true);
    expect(input.hpSpace).toEqual([
      { name: "learningRate", min: 0.0001, max: 0.01, logScale: true, steps: 4 },
      { name: "optimizer", choices: ["ADAM", "SGD"] },
    ]);
    expect(input.classWeights).toEqual([{ label: "rose", weight: 2.5 }]);
  });

  it("fills in from an earlier job's options", () => {
    const form = formFromJob({
      datasetVersionId: "dv-1",
      baseModelVersionId: "bm-1",
      targetModelSlug: "flowers",
      options: {
        learningRate: 0.01,
        epochs: 6,
        batchSize: 16,
        validationSplit: 0.25,
        seed: 7,
        useTransferLearning: true,
        freezeBaseModel: true,
        featureOutput: "pool",
        trainableLayersCount: 2,
        hiddenUnits: 64,
        dropout: 0.1,
        optimizer: Optimizer.Sgd,
        momentum: 0.8,
        weightDecay: 0,
        lrSchedule: LearningRateSchedule.Cosine,
        lrStepSize: 10,
        lrGamma: 0.1,
        lrPlateauPatience: 3,
        lrPlateauFactor: 0.5,
        enableEarlyStopping: false,
        patience: 5,
        minDelta: 0,
        monitor: MonitoredMetric.ValAccuracy,
        enableDataAugmentation: true,
        augmentedCopies: 3,
        classWeighting: "BALANCED",
        classWeights: [{ label: "rose", weight: 2 }],
        enableHyperparameterTuning: true,
        strategy: SearchStrategy.Random,
        maxTrials: 5,
        pruneTrials: false,
        hpSpace: [
          {
            name: "dropout",
            min: 0,
            max: 0.5,
            logScale: false,
            integer: false,
            steps: 3,
            values: null,
            choices: null,
          },
        ],
      },
    });
    expect(trainingFormErrors(form, ["rose", "daisy"])).toEqual({});
    const input = trainingInput(form);
    expect(input).toMatchObject({
      learningRate: 0.01,
      epochs: 6,
      momentum: 0.8,
      featureOutput: "pool",
      augmentedCopies: 3,
      monitor: "VAL_ACCURACY",
      classWeights: [{ label: "rose", weight: 2 }],
      hpSpace: [{ name: "dropout", min: 0, max: 0.5 }],
    });
    expect(input.patience).toBeUndefined();
  });
});

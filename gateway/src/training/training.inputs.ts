import { Field, Float, ID, InputType, Int } from "type-graphql";
import {
  ClassWeighting,
  LearningRateSchedule,
  MonitoredMetric,
  Optimizer,
  SearchStrategy,
  TrainingStatus,
} from "./training-enums";
import { trainingDefaults as d } from "./training-defaults";
import { limits } from "../limits";

const { training: bounds } = limits;

@InputType({
  description:
    "One dimension of a search: `min`/`max` (with `logScale`, `integer`, and GRID's `steps`), or `values`, or `choices` (optimizer)",
})
export class HyperparameterRangeInput {
  @Field(() => String, {
    description:
      "learningRate, batchSize, dropout, trainableLayersCount, hiddenUnits, weightDecay, momentum or optimizer",
  })
  name!: string;

  @Field(() => Float, { nullable: true })
  min?: number | null;

  @Field(() => Float, { nullable: true })
  max?: number | null;

  @Field(() => Boolean, { nullable: true })
  logScale?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  integer?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: `GRID's points in the range, 2 to ${bounds.searchPoints}`,
  })
  steps?: number | null;

  @Field(() => [Float], { nullable: true, description: `At most ${bounds.searchPoints}` })
  values?: number[] | null;

  @Field(() => [String], { nullable: true, description: `At most ${bounds.searchPoints}` })
  choices?: string[] | null;
}

@InputType()
export class ClassWeightInput {
  @Field(() => String, { description: "A class name of the dataset version" })
  label!: string;

  @Field(() => Float)
  weight!: number;
}

@InputType({
  description:
    "What to train on, from which base, where to register the result, and how. Leave an option out for its default.",
})
export class TrainingInput {
  @Field(() => ID)
  datasetVersionId!: string;

  @Field(() => ID, {
    description: "An ONNX model version of the registry, or the built-in embedder (system/feature-embedder)",
  })
  baseModelVersionId!: string;

  @Field(() => String, {
    description: "A model of yours (created when new) that gets the trained model as its next version",
  })
  targetModelSlug!: string;

  @Field(() => Float, { nullable: true, defaultValue: d.learningRate })
  learningRate?: number | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: d.epochs,
    description: "1 to the server's TESSERA_MAX_EPOCHS (default 1000)",
  })
  epochs?: number | null;

  @Field(() => Int, { nullable: true, defaultValue: d.batchSize, description: `1 to ${bounds.batchSize}` })
  batchSize?: number | null;

  @Field(() => Float, {
    nullable: true,
    defaultValue: d.validationSplit,
    description: "Share of each class held out for validation (stratified, seeded)",
  })
  validationSplit?: number | null;

  @Field(() => Boolean, { nullable: true, defaultValue: d.useTransferLearning })
  useTransferLearning?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: d.freezeBaseModel,
    description: "Only true is supported: the base model is frozen and a head is trained on its features",
  })
  freezeBaseModel?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: d.trainableLayersCount,
    description: `Hidden dense layers (ReLU, dropout) before the softmax layer, 0 to ${bounds.hiddenLayers}`,
  })
  trainableLayersCount?: number | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: d.hiddenUnits,
    description: `Width of each hidden layer, 1 to ${bounds.hiddenUnits}`,
  })
  hiddenUnits?: number | null;

  @Field(() => Float, { nullable: true, defaultValue: d.dropout })
  dropout?: number | null;

  @Field(() => Float, { nullable: true, defaultValue: d.weightDecay })
  weightDecay?: number | null;

  @Field(() => Optimizer, { nullable: true, defaultValue: d.optimizer })
  optimizer?: Optimizer | null;

  @Field(() => Float, { nullable: true, defaultValue: d.momentum, description: "SGD only" })
  momentum?: number | null;

  @Field(() => LearningRateSchedule, { nullable: true, defaultValue: d.lrSchedule })
  lrSchedule?: LearningRateSchedule | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: d.lrStepSize,
    description: "Epochs, 1 to TESSERA_MAX_EPOCHS",
  })
  lrStepSize?: number | null;

  @Field(() => Float, { nullable: true, defaultValue: d.lrGamma })
  lrGamma?: number | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: d.lrPlateauPatience,
    description: "Epochs, 1 to TESSERA_MAX_EPOCHS",
  })
  lrPlateauPatience?: number | null;

  @Field(() => Float, { nullable: true, defaultValue: d.lrPlateauFactor })
  lrPlateauFactor?: number | null;

  @Field(() => Boolean, { nullable: true, defaultValue: d.enableEarlyStopping })
  enableEarlyStopping?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: d.patience,
    description: "Epochs without improvement before stopping, 1 to TESSERA_MAX_EPOCHS",
  })
  patience?: number | null;

  @Field(() => Float, {
    nullable: true,
    defaultValue: d.minDelta,
    description: "Smallest change that counts as improvement",
  })
  minDelta?: number | null;

  @Field(() => MonitoredMetric, { nullable: true, defaultValue: d.monitor })
  monitor?: MonitoredMetric | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: d.enableDataAugmentation,
    description: "Flips, crops, colour jitter and small rotations, applied before feature extraction",
  })
  enableDataAugmentation?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: d.augmentedCopies,
    description: `Augmented copies of each training image, 1 to ${bounds.augmentedCopies}`,
  })
  augmentedCopies?: number | null;

  @Field(() => ClassWeighting, { nullable: true, defaultValue: d.classWeighting })
  classWeighting?: ClassWeighting | null;

  @Field(() => [ClassWeightInput], {
    nullable: true,
    description:
      "Explicit weights by class, at most one per class; classes left out weigh 1 (or their BALANCED weight)",
  })
  classWeights?: ClassWeightInput[] | null;

  @Field(() => Int, { nullable: true, defaultValue: d.seed })
  seed?: number | null;

  @Field(() => String, {
    nullable: true,
    description: `The base model output to read as features (rank 2 or 4, float; a name of at most ${limits.deployment.tensorNameLength} characters); the tier picks one when left out`,
  })
  featureOutput?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: d.enableHyperparameterTuning })
  enableHyperparameterTuning?: boolean | null;

  @Field(() => [HyperparameterRangeInput], {
    nullable: true,
    description:
      "The search space; left out, tuning searches learningRate (1e-4…1e-2, log), dropout (0…0.5) and hiddenUnits (64, 128, 256)",
  })
  hpSpace?: HyperparameterRangeInput[] | null;

  @Field(() => SearchStrategy, { nullable: true, defaultValue: d.strategy })
  strategy?: SearchStrategy | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: d.maxTrials,
    description: "1 to the server's TESSERA_MAX_TRIALS (default 100)",
  })
  maxTrials?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: d.pruneTrials,
    description: "Stop trials early that do worse than the median of earlier trials at the same epoch",
  })
  pruneTrials?: boolean | null;
}

@InputType()
export class TrainingJobFilter {
  @Field(() => [TrainingStatus], { nullable: true })
  status?: TrainingStatus[] | null;

  @Field(() => ID, { nullable: true })
  datasetVersionId?: string | null;

  @Field(() => ID, { nullable: true })
  baseModelVersionId?: string | null;

  @Field(() => String, { nullable: true })
  targetModelSlug?: string | null;

  @Field(() => String, { nullable: true, description: "Owner's handle" })
  owner?: string | null;
}

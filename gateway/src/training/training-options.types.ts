import { Field, Float, Int, ObjectType } from "type-graphql";
import {
  ClassWeighting,
  LearningRateSchedule,
  MonitoredMetric,
  Optimizer,
  SearchStrategy,
} from "./training-enums";

@ObjectType({ description: "One dimension of a hyperparameter search" })
export class HyperparameterRange {
  @Field(() => String)
  name!: string;

  @Field(() => Float, { nullable: true })
  min!: number | null;

  @Field(() => Float, { nullable: true })
  max!: number | null;

  @Field(() => Boolean, { nullable: true })
  logScale!: boolean | null;

  @Field(() => Boolean, { nullable: true })
  integer!: boolean | null;

  @Field(() => Int, { nullable: true, description: "GRID's points in the range" })
  steps!: number | null;

  @Field(() => [Float], { nullable: true })
  values!: number[] | null;

  @Field(() => [String], { nullable: true })
  choices!: string[] | null;
}

@ObjectType()
export class ClassWeight {
  @Field(() => String)
  label!: string;

  @Field(() => Float)
  weight!: number;
}

@ObjectType({ description: "The options a job runs with: what was asked, defaults filled in" })
export class TrainingOptions {
  @Field(() => Float)
  learningRate!: number;

  @Field(() => Int)
  epochs!: number;

  @Field(() => Int)
  batchSize!: number;

  @Field(() => Float)
  validationSplit!: number;

  @Field(() => Boolean)
  useTransferLearning!: boolean;

  @Field(() => Boolean)
  freezeBaseModel!: boolean;

  @Field(() => Int)
  trainableLayersCount!: number;

  @Field(() => Int)
  hiddenUnits!: number;

  @Field(() => Float)
  dropout!: number;

  @Field(() => Float)
  weightDecay!: number;

  @Field(() => Optimizer)
  optimizer!: Optimizer;

  @Field(() => Float)
  momentum!: number;

  @Field(() => LearningRateSchedule)
  lrSchedule!: LearningRateSchedule;

  @Field(() => Int)
  lrStepSize!: number;

  @Field(() => Float)
  lrGamma!: number;

  @Field(() => Int)
  lrPlateauPatience!: number;

  @Field(() => Float)
  lrPlateauFactor!: number;

  @Field(() => Boolean)
  enableEarlyStopping!: boolean;

  @Field(() => Int)
  patience!: number;

  @Field(() => Float)
  minDelta!: number;

  @Field(() => MonitoredMetric)
  monitor!: MonitoredMetric;

  @Field(() => Boolean)
  enableDataAugmentation!: boolean;

  @Field(() => Int)
  augmentedCopies!: number;

  @Field(() => ClassWeighting)
  classWeighting!: ClassWeighting;

  @Field(() => [ClassWeight])
  classWeights!: ClassWeight[];

  @Field(() => Int, { description: "Seeds the split, shuffles, initial weights, dropout and the search" })
  seed!: number;

  @Field(() => String, {
    nullable: true,
    description: "The base model output read as features; null: chosen by the tier",
  })
  featureOutput!: string | null;

  @Field(() => Boolean)
  enableHyperparameterTuning!: boolean;

  @Field(() => [HyperparameterRange])
  hpSpace!: HyperparameterRange[];

  @Field(() => SearchStrategy)
  strategy!: SearchStrategy;

  @Field(() => Int)
  maxTrials!: number;

  @Field(() => Boolean)
  pruneTrials!: boolean;
}

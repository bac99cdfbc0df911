import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { connectionOf, type Connection } from "../graphql/connection";
import { TrainingStatus, TrialStatus } from "./training-enums";
import { TrainingOptions } from "./training-options.types";

@ObjectType({ description: "A metric's value, e.g. val_accuracy 0.93" })
export class MetricValue {
  @Field(() => String)
  name!: string;

  @Field(() => Float)
  value!: number;
}

@ObjectType({ description: "One stored point of a metric's history, for charts" })
export class TrainingMetricPoint {
  @Field(() => Int)
  trial!: number;

  @Field(() => Int, { description: "1-based" })
  epoch!: number;

  @Field(() => String, {
    description: "loss, accuracy, val_loss, val_accuracy, learning_rate, epoch_seconds, samples_per_second",
  })
  name!: string;

  @Field(() => Float)
  value!: number;
}

@ObjectType({ description: "A hyperparameter of a trial: numbers in `value`, the optimizer in `choice`" })
export class TrialParam {
  @Field(() => String)
  name!: string;

  @Field(() => Float, { nullable: true })
  value!: number | null;

  @Field(() => String, { nullable: true })
  choice!: string | null;
}

@ObjectType()
export class ClassMetrics {
  @Field(() => String)
  label!: string;

  @Field(() => Float)
  precision!: number;

  @Field(() => Float)
  recall!: number;

  @Field(() => Float)
  f1!: number;

  @Field(() => Int, { description: "Samples of this class in the split" })
  support!: number;
}

@ObjectType({ description: "How the trained model did on one split, with the best epoch's weights" })
export class EvaluationReport {
  @Field(() => String, { description: "validation or test" })
  split!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => Float)
  accuracy!: number;

  @Field(() => Float)
  loss!: number;

  @Field(() => [String], {
    description: "Class names: the order of perClass and of the matrix's rows and columns",
  })
  labels!: string[];

  @Field(() => [ClassMetrics])
  perClass!: ClassMetrics[];

  @Field(() => [[Int]], { description: "Row = true class, column = predicted class" })
  confusionMatrix!: number[][];

  @Field(() => Float, { description: "Expected calibration error over 10 equal-width confidence bins" })
  calibrationError!: number;
}

@ObjectType({ description: "Samples per split the job trained and evaluated on" })
export class SplitCounts {
  @Field(() => Int)
  train!: number;

  @Field(() => Int)
  validation!: number;

  @Field(() => Int)
  test!: number;

  @Field(() => String, {
    nullable: true,
    description: "dataset: the version's own validation split; drawn: a stratified draw of validationSplit",
  })
  validationFrom!: string | null;
}

@ObjectType({
  description: "One run of the head with one set of hyperparameters (a job without search has one)",
})
export class TrainingTrial {
  @Field(() => Int)
  number!: number;

  @Field(() => [TrialParam], { description: "The hyperparameters this trial varied" })
  params!: TrialParam[];

  @Field(() => TrialStatus)
  status!: TrialStatus;

  @Field(() => Float, { nullable: true, description: "The monitored metric at the best epoch" })
  objective!: number | null;

  @Field(() => Int, { nullable: true })
  bestEpoch!: number | null;

  @Field(() => Int)
  epochsRun!: number;

  @Field(() => [MetricValue], { description: "The last epoch's values" })
  metrics!: MetricValue[];

  @Field(() => EvaluationReport, { nullable: true })
  evaluation!: EvaluationReport | null;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => String, { nullable: true })
  error!: string | null;
}

@ObjectType({ description: "A head trained on a frozen base model's features, queued, run and registered" })
export class TrainingJob {
  @Field(() => ID)
  id!: string;

  @Field(() => TrainingStatus)
  status!: TrainingStatus;

  @Field(() => Float, { description: "0 to 1 over the whole job (every trial)" })
  progress!: number;

  @Field(() => Int, { description: "The last finished epoch of the current trial" })
  currentEpoch!: number;

  @Field(() => Int)
  totalEpochs!: number;

  @Field(() => Boolean, { description: "Cancel was asked while it ran; it stops within seconds" })
  cancelRequested!: boolean;

  @Field(() => String, { description: "The model (yours) the result is registered under" })
  targetModelSlug!: string;

  @Field(() => TrainingOptions)
  options!: TrainingOptions;

  @Field(() => [String], { description: "Class names in the output order of the trained model" })
  labels!: string[];

  @Field(() => SplitCounts, { nullable: true, description: "Known once the samples are split" })
  splitCounts!: SplitCounts | null;

  @Field(() => EvaluationReport, { nullable: true, description: "On the validation split" })
  evaluation!: EvaluationReport | null;

  @Field(() => EvaluationReport, {
    nullable: true,
    description: "On the dataset's test split; null without one",
  })
  testEvaluation!: EvaluationReport | null;

  @Field(() => String, { nullable: true, description: "Why it failed" })
  error!: string | null;

  @Field(() => Int, { description: "Runs started so far (a crashed run resumes from its last epoch)" })
  attempts!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  ownerId!: string;
  datasetVersionId!: string | null;
  baseModelVersionId!: string | null;
}

export const TrainingJobConnection = connectionOf(() => TrainingJob, "TrainingJob");
export type TrainingJobConnection = Connection<TrainingJob>;

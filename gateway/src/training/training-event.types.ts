import { createUnionType, Field, Float, Int, ObjectType } from "type-graphql";
import { JobEventFields } from "../jobs/job-event-fields";
import type { TrainingEventRecord } from "./training-contracts";
import { TrainingPhase, TrainingStatus, TrialStatus } from "./training-enums";
import {
  toEvaluation,
  toMetricValues,
  toParams,
  type StoredEvaluation,
  type StoredJobEvaluation,
} from "./training-rows";
import { EvaluationReport, MetricValue, TrialParam } from "./training.types";

@ObjectType({ description: "Where the job is: phase, trial, epoch and step of the epoch" })
export class TrainingProgressEvent extends JobEventFields {
  @Field(() => TrainingStatus)
  status!: TrainingStatus;

  @Field(() => TrainingPhase)
  phase!: TrainingPhase;

  @Field(() => Int)
  trial!: number;

  @Field(() => Int)
  epoch!: number;

  @Field(() => Int)
  totalEpochs!: number;

  @Field(() => Int)
  step!: number;

  @Field(() => Int)
  totalSteps!: number;

  @Field(() => Float, { description: "0 to 1 over the whole job" })
  progress!: number;
}

@ObjectType({ description: "An epoch's metrics: loss, accuracy, val_loss, val_accuracy, learning_rate, …" })
export class TrainingMetricsEvent extends JobEventFields {
  @Field(() => Int)
  trial!: number;

  @Field(() => Int)
  epoch!: number;

  @Field(() => [MetricValue])
  values!: MetricValue[];
}

@ObjectType({ description: "A trial started or finished" })
export class TrialEvent extends JobEventFields {
  @Field(() => Int)
  trial!: number;

  @Field(() => TrialStatus)
  state!: TrialStatus;

  @Field(() => [TrialParam])
  params!: TrialParam[];

  @Field(() => Float, { nullable: true })
  objective!: number | null;

  @Field(() => Int)
  epochsRun!: number;
}

@ObjectType({ description: "The job succeeded: its evaluation and the registered model version" })
export class TrainingCompletedEvent extends JobEventFields {
  @Field(() => EvaluationReport, { nullable: true, description: "On the validation split" })
  evaluation!: EvaluationReport | null;

  @Field(() => EvaluationReport, { nullable: true, description: "On the test split; null without one" })
  testEvaluation!: EvaluationReport | null;

  resultModelVersionId!: string;
}

@ObjectType({ description: "The job failed or was cancelled, and why" })
export class TrainingFailedEvent extends JobEventFields {
  @Field(() => TrainingStatus, { description: "FAILED or CANCELLED" })
  status!: TrainingStatus;

  @Field(() => String)
  reason!: string;
}

export const TrainingEvent = createUnionType({
  name: "TrainingEvent",
  description: "What `trainingProgress` streams",
  types: () =>
    [
      TrainingProgressEvent,
      TrainingMetricsEvent,
      TrialEvent,
      TrainingCompletedEvent,
      TrainingFailedEvent,
    ] as const,
});

/** A log record as the GraphQL union member it stands for. */
export function toTrainingEvent(record: TrainingEventRecord, labels: string[]) {
  const base = { jobId: record.jobId, seq: record.seq, at: record.createdAt };
  switch (record.type) {
    case "progress":
      return Object.assign(new TrainingProgressEvent(), base, {
        ...record.payload,
        status: record.payload.status as TrainingStatus,
        phase: record.payload.phase as TrainingPhase,
      });
    case "metrics":
      return Object.assign(new TrainingMetricsEvent(), base, {
        trial: record.payload.trial,
        epoch: record.payload.epoch,
        values: toMetricValues(record.payload.values),
      });
    case "trial":
      return Object.assign(new TrialEvent(), base, {
        trial: record.payload.trial,
        state: record.payload.state as TrialStatus,
        params: toParams(record.payload.params),
        objective: record.payload.objective,
        epochsRun: record.payload.epochsRun,
      });
    case "completed": {
      const { validation, test } = splitEvaluation(record.payload.evaluation);
      return Object.assign(new TrainingCompletedEvent(), base, {
        evaluation: toEvaluation(validation, labels),
        testEvaluation: toEvaluation(test, labels),
        resultModelVersionId: record.payload.resultModelVersionId,
      });
    }
    case "failed":
      return Object.assign(new TrainingFailedEvent(), base, {
        status: record.payload.status as TrainingStatus,
        reason: record.payload.reason,
      });
  }
}

/** The completed event carries the job's { validation, test } evaluation, or one evaluation alone. */
function splitEvaluation(evaluation: unknown): StoredJobEvaluation {
  if (!evaluation || typeof evaluation !== "object") return { validation: null, test: null };
  if ("validation" in evaluation || "test" in evaluation) {
    const both = evaluation as Partial<StoredJobEvaluation>;
    return { validation: both.validation ?? null, test: both.test ?? null };
  }
  return { validation: evaluation as StoredEvaluation, test: null };
}

import { GraphQLJSON } from "graphql-scalars";
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionOf, type Connection } from "../graphql/connection";
import { jobKinds } from "./job-kinds";

export enum JobStatus {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}
registerEnumType(JobStatus, {
  name: "JobStatus",
  description: "QUEUED also covers a job waiting for its retry (see `error` for why)",
});

/** The JobKind enum, from the registry: one value per kind. */
export const JobKind: Record<string, string> = Object.fromEntries(
  jobKinds.map(({ kind }) => [kind.graphqlName, kind.graphqlName]),
);
registerEnumType(JobKind, {
  name: "JobKind",
  description: "What a job does",
  valuesConfig: Object.fromEntries(
    jobKinds.map(({ kind }) => [kind.graphqlName, { description: kind.description }]),
  ),
});

@ObjectType({ description: "How far a job is" })
export class JobProgress {
  @Field(() => Float, { description: "0 to 1 over the whole job" })
  fraction!: number;

  @Field(() => String, { nullable: true, description: "The kind's word for the current step" })
  phase!: string | null;

  @Field(() => Int, { nullable: true })
  done!: number | null;

  @Field(() => Int, { nullable: true })
  total!: number | null;
}

@ObjectType({ description: "Why a job failed, was cancelled, or waits for a retry" })
export class JobError {
  @Field(() => String, { description: "e.g. FAILED, CANCELLED, UNAVAILABLE, WORKER_LOST, BAD_USER_INPUT" })
  code!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: "A long-running operation: embeddings, training, and what comes next" })
export class Job {
  @Field(() => ID)
  id!: string;

  @Field(() => JobKind)
  kind!: string;

  ownerId!: string;

  @Field(() => JobStatus)
  status!: JobStatus;

  @Field(() => JobProgress)
  progress!: JobProgress;

  @Field(() => Int, { description: "Runs started so far (retries and resumes count)" })
  attempts!: number;

  @Field(() => Int)
  maxAttempts!: number;

  @Field(() => Boolean, { description: "A cancel was asked for; a running job stops within a second" })
  cancelRequested!: boolean;

  @Field(() => JobError, { nullable: true })
  error!: JobError | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "What the job produced, by id (e.g. { resultModelVersionId })",
  })
  result!: unknown;

  @Field(() => GraphQLJSON, {
    description:
      "What the job works on, by id, as its kind states it: { trainingJobId } or { runId, datasetVersionId }",
  })
  payload!: unknown;

  parentId!: string | null;

  @Field(() => Date, { nullable: true, description: "Its worker's last sign of life while RUNNING" })
  heartbeatAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}

export const JobConnection = connectionOf(() => Job, "Job");
export type JobConnection = Connection<Job>;

@InputType({ description: "All given conditions hold" })
export class JobFilter {
  @Field(() => [JobKind], { nullable: true })
  kind?: string[] | null;

  @Field(() => [JobStatus], { nullable: true })
  status?: JobStatus[] | null;

  @Field(() => String, { nullable: true, description: "The owner's handle; admins see everyone's jobs" })
  owner?: string | null;
}

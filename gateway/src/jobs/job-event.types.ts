import { createUnionType, Field, Float, Int, ObjectType, type ClassType } from "type-graphql";
import { JobEventFields } from "./job-event-fields";
import type { JobEventRecord, ProgressEventPayload, StateEventPayload } from "./job-event-subscriber";
import { jobKindByName, jobKinds } from "./job-kinds";
import { toJob } from "./job-rows";
import { Job, JobError, JobStatus } from "./jobs.types";
import type { Job as JobRow } from "../generated/prisma/client";

@ObjectType({ description: "The job as it is when the subscription starts: always the first event" })
export class JobSnapshotEvent extends JobEventFields {
  @Field(() => Job)
  job!: Job;
}

@ObjectType({ description: "The job moved to another status (queued again, started, finished)" })
export class JobStateEvent extends JobEventFields {
  @Field(() => JobStatus)
  status!: JobStatus;

  @Field(() => Int, { nullable: true })
  attempt!: number | null;

  @Field(() => JobError, { nullable: true })
  error!: JobError | null;
}

@ObjectType({ description: "The job went further" })
export class JobProgressEvent extends JobEventFields {
  @Field(() => JobStatus)
  status!: JobStatus;

  @Field(() => Float, { description: "0 to 1 over the whole job" })
  fraction!: number;

  @Field(() => String, { nullable: true })
  phase!: string | null;

  @Field(() => Int, { nullable: true })
  done!: number | null;

  @Field(() => Int, { nullable: true })
  total!: number | null;
}

/** The platform's members first, then each registered kind's own. */
const members = [
  JobSnapshotEvent,
  JobStateEvent,
  JobProgressEvent,
  ...jobKinds.flatMap(({ events }) => Object.values(events).map((event) => event.member)),
];

export const JobEvent = createUnionType({
  name: "JobEvent",
  description: "What `jobEvents` streams: the platform's events and each kind's own (from the registry)",
  types: () => members as unknown as readonly [ClassType, ...ClassType[]],
});

/** A log record as the union member it stands for; null for a record the API does not show. */
export function toJobEvent(record: JobEventRecord, kind: string): object | null {
  const base = { jobId: record.jobId, seq: record.seq, at: record.createdAt };
  switch (record.type) {
    case "snapshot":
      return Object.assign(new JobSnapshotEvent(), base, { job: toJob(record.payload as JobRow) });
    case "state": {
      const state = record.payload as StateEventPayload;
      return Object.assign(new JobStateEvent(), base, {
        status: state.status as JobStatus,
        attempt: state.attempt ?? null,
        error: state.error,
      });
    }
    case "progress": {
      const progress = record.payload as ProgressEventPayload;
      return Object.assign(new JobProgressEvent(), base, {
        status: progress.status as JobStatus,
        fraction: progress.fraction,
        phase: progress.phase,
        done: progress.done,
        total: progress.total,
      });
    }
    default: {
      const event = jobKindByName.get(kind)?.events[record.type];
      return event ? event.toGraphQL(record) : null;
    }
  }
}

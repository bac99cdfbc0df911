import { createUnionType, Field, Float, ObjectType } from "type-graphql";
import { JobEventFields } from "../jobs/job-event-fields";
import type { JobEventRecord, StateEventPayload } from "../jobs/job-event-subscriber";
import { JobError, JobStatus } from "../jobs/jobs.types";
import type { Job as JobRow } from "../generated/prisma/client";
import {
  baseOf,
  ReconstructionPreviewEvent,
  ReconstructionStepEvent,
  toPreview,
  toStep,
} from "./reconstruction-job-events";

@ObjectType({ description: "The reconstruction's status: first its current one, then each change" })
export class ReconstructionStateEvent extends JobEventFields {
  @Field(() => JobStatus)
  status!: JobStatus;

  @Field(() => Float, { description: "0 to 1 over the whole job" })
  progress!: number;

  @Field(() => JobError, { nullable: true })
  error!: JobError | null;
}

export const ReconstructionEvent = createUnionType({
  name: "ReconstructionEvent",
  description: "What `reconstructionProgress` streams",
  types: () => [ReconstructionStateEvent, ReconstructionStepEvent, ReconstructionPreviewEvent] as const,
});

/**
 * A view of the job's log for `reconstructionProgress`: the platform's snapshot and state records
 * become state events (the job's progress carried along), `step` and `preview` pass; the
 * platform's own progress records are left out (the step events say more).
 */
export class ReconstructionEventView {
  #progress = 0;

  toGraphQL(record: JobEventRecord): object | null {
    switch (record.type) {
      case "snapshot": {
        const job = record.payload as JobRow;
        this.#progress = job.progress;
        return this.#state(record, {
          status: job.status,
          error: job.errorCode ? { code: job.errorCode, message: job.errorMessage ?? "" } : null,
        });
      }
      case "progress":
        this.#progress = Math.max(this.#progress, (record.payload as { fraction: number }).fraction);
        return null;
      case "state": {
        const state = record.payload as StateEventPayload;
        if (state.status === "SUCCEEDED") this.#progress = 1;
        return this.#state(record, state);
      }
      case "step":
        return toStep(record);
      case "preview":
        return toPreview(record);
      default:
        return null;
    }
  }

  #state(record: JobEventRecord, state: Pick<StateEventPayload, "status" | "error">) {
    return Object.assign(new ReconstructionStateEvent(), baseOf(record), {
      status: state.status as JobStatus,
      progress: this.#progress,
      error: state.error,
    });
  }
}

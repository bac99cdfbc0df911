import type { Prisma } from "../generated/prisma/client";
import type { Logger } from "../logger";

/**
 * A kind of long-running job, declared once: its name, payload (versioned), the events its
 * handler appends besides the platform's own, how often it may be tried and what it resumes
 * from. The platform (JobRunner, JobsService, JobEventLog) owns queueing, heartbeats, retries,
 * cancel and delivery; a kind never talks to pg-boss or to subscribers.
 */
export interface JobKind<Payload = unknown, Events extends object = object> {
  /** The stored kind and pg-boss queue name, e.g. "train-model". */
  name: string;
  /** The JobKind enum value clients see, e.g. "TRAIN_MODEL". */
  graphqlName: string;
  description: string;
  /** Bumped when the payload's shape changes; `readPayload` reads every older version. */
  payloadVersion: number;
  readPayload(stored: unknown, version: number): Payload;
  /** Runs of one job before a transient failure counts as final. */
  maxAttempts: number;
  /** Wait before retry `attempt + 1` after a transient failure of `attempt`. */
  retryDelayMs(attempt: number): number;
  /** What a resumed run continues from, in words (documentation and the Jobs page). */
  checkpoint: string;
  /** Type names of the events the kind's handler appends (JobContext.emit), for the registry. */
  eventTypes: readonly string[];
  /** Phantom: the payload type of each event type. */
  readonly events?: Events;
}

/** Exponential backoff with a cap: base, 2·base, 4·base … max. */
export function exponentialBackoff(baseMs: number, maxMs: number) {
  return (attempt: number) => Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export type JobStatusName = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";

export const finalStatuses: readonly JobStatusName[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** Fields of a job's progress, all optional in an update: only the given ones change. */
export interface ProgressUpdate<Detail = unknown> {
  /** 0…1 over the whole job; never goes backwards within a run. */
  fraction?: number;
  phase?: string;
  done?: number;
  total?: number;
  /** The kind's own progress details, carried by the "progress" event. */
  detail?: Detail;
  /** Sent even when the last progress event went out a moment ago (a phase change, say). */
  force?: boolean;
}

/** What a handler sees of the job it runs. */
export interface JobContext<Payload, Events extends object = object, Detail = unknown> {
  jobId: string;
  ownerId: string;
  parentId: string | null;
  payload: Payload;
  /** 1 on the first run, 2 on the first retry or resume, … */
  attempt: number;
  /** Aborts with a JobInterrupted on cancel, takeover or shutdown. */
  signal: AbortSignal;
  logger: Logger;
  /** The progress the job had when this run started (a resumed job continues from it). */
  startProgress: { fraction: number; done: number | null; total: number | null };
  progress(update: ProgressUpdate<Detail>): Promise<void>;
  emit<T extends keyof Events & string>(type: T, payload: Events[T]): Promise<void>;
  /**
   * Writes the kind's own rows in a transaction, only while this run still holds the job (a run
   * that lost it to another worker writes nothing); resolves to null when it did not.
   */
  write<T>(write: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T | null>;
}

/** A finished run: the result stored on the job, and rows written in the same transaction. */
export interface JobOutcome {
  result?: Prisma.InputJsonValue;
  /** Runs in the transaction that marks the job SUCCEEDED, only if this worker still holds it. */
  commit?: (tx: Prisma.TransactionClient) => Promise<unknown>;
  /** Runs once the job is SUCCEEDED (work that reads its result as final); a failure is only logged. */
  afterSuccess?: () => Promise<unknown>;
}

export type JobHandler<Payload, Events extends object = object, Detail = unknown> = (
  context: JobContext<Payload, Events, Detail>,
) => Promise<JobOutcome | void>;

/** Why a running job stopped before it finished. */
export type Interruption = "cancelled" | "lost" | "stopped";

export class JobInterrupted extends Error {
  override name = "JobInterrupted";
  constructor(readonly kind: Interruption) {
    super(
      kind === "cancelled"
        ? "The job was cancelled"
        : kind === "lost"
          ? "Another worker took the job over"
          : "The worker is stopping",
    );
  }
}

/** A failure that no retry can fix (a deleted input, a refused option): the job fails at once. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
  constructor(
    message: string,
    readonly code = "FAILED",
  ) {
    super(message);
  }
}

/** A failure worth retrying later (a tier that is away): retried with backoff up to maxAttempts. */
export class TransientJobError extends Error {
  override name = "TransientJobError";
  constructor(
    message: string,
    readonly code = "UNAVAILABLE",
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

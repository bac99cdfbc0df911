import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { JobEventLog } from "./job-event-log";
import type { ProgressEventPayload, StateEventPayload } from "./job-event-subscriber";
import type { JobOutcome } from "./job-kind";

export interface Liveness {
  /** False once another worker took the job over, or it left RUNNING without us. */
  owned: boolean;
  cancelRequested: boolean;
}

export interface ClaimedJob {
  id: string;
  kind: string;
  ownerId: string;
  parentId: string | null;
  payload: unknown;
  payloadVersion: number;
  attempts: number;
  maxAttempts: number;
  cancelRequested: boolean;
  progress: number;
  done: number | null;
  total: number | null;
}

/**
 * Takes the job for this worker when it waits (QUEUED, its retry delay over) or its worker
 * stopped saying it is alive (RUNNING with a heartbeat older than `staleAfterMs`). One statement,
 * so two workers handed the same job never both get it. Database time throughout: workers'
 * clocks may disagree.
 */
export async function claimJob(
  prisma: PrismaClient,
  jobId: string,
  workerId: string,
  queueJobId: string,
  staleAfterMs: number,
): Promise<ClaimedJob | null> {
  const [claimed] = await prisma.$queryRaw<ClaimedJob[]>`
    UPDATE "Job"
    SET status = 'RUNNING', "workerId" = ${workerId}, "heartbeatAt" = now(), attempts = attempts + 1,
        "startedAt" = coalesce("startedAt", now()), "queueJobId" = ${queueJobId}::uuid, "runAfter" = NULL,
        "errorCode" = NULL, "errorMessage" = NULL, "updatedAt" = now()
    WHERE id = ${jobId}::uuid
      AND ((status = 'QUEUED' AND coalesce("runAfter", now()) <= now() + interval '1 second')
        OR (status = 'RUNNING'
          AND coalesce("heartbeatAt", "createdAt") < now() - ${staleAfterMs} * interval '1 millisecond'))
    RETURNING id::text, kind, "ownerId"::text AS "ownerId", "parentId"::text AS "parentId", payload,
      "payloadVersion", attempts, "maxAttempts", "cancelRequested", progress, done, total`;
  return claimed ?? null;
}

/**
 * The claimed job's row as its worker changes it. Every write is conditional on this worker still
 * holding the job, so a worker that lost it (to the stale-job sweep) changes nothing; events are
 * appended only for transitions that happened, in the transaction that made them.
 */
export class JobRecord {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: JobEventLog,
    readonly jobId: string,
    readonly workerId: string,
    readonly attempt: number,
  ) {}

  /**
   * This run's hold on the job: the worker and the attempt it claimed, so that a claim of the same
   * job by this same process later (after the sweep took it back) is not mistaken for this one.
   */
  private get mine() {
    return { id: this.jobId, workerId: this.workerId, status: "RUNNING" as const, attempts: this.attempt };
  }

  /** Refreshes heartbeatAt; says whether the job is still ours and whether a cancel was asked for. */
  async heartbeat(): Promise<Liveness> {
    const [row] = await this.prisma.$queryRaw<Array<{ cancelRequested: boolean }>>`
      UPDATE "Job" SET "heartbeatAt" = now()
      WHERE id = ${this.jobId}::uuid AND "workerId" = ${this.workerId} AND status = 'RUNNING'
        AND attempts = ${this.attempt}
      RETURNING "cancelRequested"`;
    return row ? { owned: true, cancelRequested: row.cancelRequested } : this.liveness();
  }

  async liveness(): Promise<Liveness> {
    const row = await this.prisma.job.findUnique({
      where: { id: this.jobId },
      select: { status: true, workerId: true, cancelRequested: true, attempts: true },
    });
    const owned =
      row?.status === "RUNNING" && row.workerId === this.workerId && row.attempts === this.attempt;
    // A job the API marked CANCELLED while we ran is a cancel, not a takeover.
    return { owned, cancelRequested: row?.cancelRequested === true || row?.status === "CANCELLED" };
  }

  /** The RUNNING state event that opens a run. */
  async started(): Promise<void> {
    await this.#state({ status: "RUNNING", attempt: this.attempt, error: null });
  }

  /** Stores progress and logs it; false once the job is no longer ours. */
  async progress(payload: Omit<ProgressEventPayload, "status">): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.job.updateMany({
        where: this.mine,
        data: { progress: payload.fraction, phase: payload.phase, done: payload.done, total: payload.total },
      });
      if (count === 0) return false;
      await this.events.append(this.jobId, "progress", { status: "RUNNING", ...payload }, tx);
      return true;
    });
  }

  /** Appends the kind's own event while the job is still this run's; false once it is not. */
  async emit(type: string, payload: unknown): Promise<boolean> {
    const appended = await this.whileMine(async (tx) => {
      await this.events.append(this.jobId, type, payload, tx);
      return true;
    });
    return appended ?? false;
  }

  /**
   * Runs `write` in a transaction that holds the job's row, only while the job is still this run's:
   * a run that lost its job (to the sweep, to another worker) changes nothing. Null when it was not.
   */
  async whileMine<T>(write: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T | null> {
    return this.prisma.$transaction(async (tx) => {
      const [held] = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT id::text FROM "Job"
        WHERE id = ${this.jobId}::uuid AND "workerId" = ${this.workerId} AND status = 'RUNNING'
          AND attempts = ${this.attempt}
        FOR UPDATE`;
      return held ? write(tx) : null;
    });
  }

  async succeed(outcome: JobOutcome): Promise<boolean> {
    const result = outcome.result ?? Prisma.DbNull;
    return this.#finish(
      { status: "SUCCEEDED", progress: 1, result, errorCode: null, errorMessage: null },
      { status: "SUCCEEDED", attempt: this.attempt, error: null, result: outcome.result ?? null },
      outcome.commit,
    );
  }

  async fail(code: string, message: string, onFinished?: FinishHook): Promise<boolean> {
    return this.#finish(
      { status: "FAILED", errorCode: code, errorMessage: message },
      { status: "FAILED", attempt: this.attempt, error: { code, message } },
      (tx) => onFinished?.(tx, this.jobId, "FAILED") ?? Promise.resolve(),
    );
  }

  async cancel(onFinished?: FinishHook): Promise<boolean> {
    const message = "The job was cancelled";
    const done = await this.#finish(
      { status: "CANCELLED", errorCode: "CANCELLED", errorMessage: message },
      { status: "CANCELLED", attempt: this.attempt, error: { code: "CANCELLED", message } },
      (tx) => onFinished?.(tx, this.jobId, "CANCELLED") ?? Promise.resolve(),
    );
    if (done) return true;
    // The API may have marked the job CANCELLED itself; the kind still tidies up after it.
    const row = await this.prisma.job.findUnique({ where: { id: this.jobId }, select: { status: true } });
    if (row?.status === "CANCELLED" && onFinished) {
      await this.prisma.$transaction((tx) => onFinished(tx, this.jobId, "CANCELLED"));
    }
    return false;
  }

  /**
   * Hands the job back: QUEUED, no worker, waiting `delayMs` (a retry's backoff; 0 when this
   * process stops), with `reason` shown meanwhile. The caller queues its next run.
   */
  async release(delayMs: number, reason: { code: string; message: string } | null): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.job.updateMany({
        where: this.mine,
        data: {
          status: "QUEUED",
          workerId: null,
          heartbeatAt: null,
          runAfter: delayMs > 0 ? new Date(Date.now() + delayMs) : null,
          errorCode: reason?.code ?? null,
          errorMessage: reason?.message ?? null,
        },
      });
      if (count === 0) return false;
      await this.events.append(
        this.jobId,
        "state",
        { status: "QUEUED", attempt: this.attempt, error: reason },
        tx,
      );
      return true;
    });
  }

  async #state(payload: StateEventPayload): Promise<void> {
    await this.events.append(this.jobId, "state", payload);
  }

  async #finish(
    data: Prisma.JobUpdateManyMutationInput,
    event: StateEventPayload,
    commit?: (tx: Prisma.TransactionClient) => Promise<unknown>,
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.job.updateMany({
        where: this.mine,
        data: { ...data, finishedAt: new Date(), heartbeatAt: null, workerId: null },
      });
      if (count === 0) return false;
      await commit?.(tx);
      await this.events.append(this.jobId, "state", event, tx);
      return true;
    });
  }
}

/** A kind's rows to settle when its job ends without success (e.g. training trials still running). */
export type FinishHook = (
  tx: Prisma.TransactionClient,
  jobId: string,
  status: "FAILED" | "CANCELLED",
) => Promise<unknown>;

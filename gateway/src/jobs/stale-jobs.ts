import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logger";
import type { JobEventLog } from "./job-event-log";
import type { JobQueue } from "./job-queue";
import type { FinishHook } from "./job-record";

/** Queue job states in which pg-boss will still hand the job to a worker. */
const pending = new Set(["created", "retry", "active"]);

export interface SweepTiming {
  staleAfterMs: number;
  sweepIntervalMs: number;
}

/**
 * Finds jobs no worker is going to finish and queues them again; the worker that takes one
 * resumes it from its kind's checkpoint. Two cases: RUNNING jobs whose heartbeat stopped (their
 * worker died: killed, out of memory, its machine gone), and QUEUED jobs whose queue job is gone
 * (pg-boss gave up on it, or its cancel was asked for while it waited). A job that has used all
 * its attempts is failed instead (WORKER_LOST): one that kills its worker must not go on killing
 * the next ones. Every worker process sweeps; each job is taken back by one conditional update in
 * a transaction with its event, so only one process acts on it and the log tells it once.
 */
export class StaleJobSweeper {
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<unknown> | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly queue: JobQueue,
    private readonly events: JobEventLog,
    private readonly kinds: readonly string[],
    private readonly finishHooks: ReadonlyMap<string, FinishHook>,
    private readonly logger: Logger,
    private readonly timing: SweepTiming,
  ) {}

  start(): void {
    const tick = () => {
      this.#sweeping ??= this.sweep()
        .catch((error) => this.logger.warn({ err: error }, "the stale job sweep failed"))
        .finally(() => (this.#sweeping = null));
    };
    tick();
    this.#timer = setInterval(tick, this.timing.sweepIntervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sweeping;
  }

  /** Queues (or fails, or cancels) every job found; returns their ids. */
  async sweep(): Promise<string[]> {
    const stale = await this.prisma.$queryRaw<Array<{ id: string; kind: string }>>`
      SELECT id::text, kind FROM "Job"
      WHERE status = 'RUNNING' AND kind = ANY(${this.kinds})
        AND coalesce("heartbeatAt", "startedAt", "createdAt") < now() - ${this.timing.staleAfterMs} * interval '1 millisecond'`;
    const swept: string[] = [];
    for (const { id, kind } of stale) {
      const outcome = await this.takeBack(id, kind);
      if (outcome === "queued") await this.requeue(id, kind, null);
      if (outcome) swept.push(id);
    }
    for (const { id, kind, runAfter, cancelRequested } of await this.orphans()) {
      if (cancelRequested) await this.cancelWaiting(id, kind);
      else await this.requeue(id, kind, runAfter);
      swept.push(id);
    }
    return swept;
  }

  /** A stale RUNNING job: QUEUED to resume; CANCELLED if a cancel was asked; FAILED when out of attempts. */
  private async takeBack(id: string, kind: string): Promise<"queued" | "failed" | null> {
    return this.prisma.$transaction(async (tx) => {
      const [job] = await tx.$queryRaw<
        Array<{ attempts: number; maxAttempts: number; cancelRequested: boolean }>
      >`
        SELECT attempts, "maxAttempts", "cancelRequested" FROM "Job"
        WHERE id = ${id}::uuid AND status = 'RUNNING'
          AND coalesce("heartbeatAt", "startedAt", "createdAt") < now() - ${this.timing.staleAfterMs} * interval '1 millisecond'
        FOR UPDATE SKIP LOCKED`;
      if (!job) return null;
      if (job.cancelRequested) {
        // Its worker died before it saw the cancel: nothing is left to stop.
        const message = "The job was cancelled";
        await tx.job.update({
          where: { id },
          data: {
            status: "CANCELLED",
            workerId: null,
            heartbeatAt: null,
            errorCode: "CANCELLED",
            errorMessage: message,
            finishedAt: new Date(),
          },
        });
        await this.finishHooks.get(kind)?.(tx, id, "CANCELLED");
        await this.events.append(
          id,
          "state",
          { status: "CANCELLED", attempt: job.attempts, error: { code: "CANCELLED", message } },
          tx,
        );
        return "failed";
      }
      if (job.attempts >= job.maxAttempts) {
        const error = {
          code: "WORKER_LOST",
          message: `Its worker stopped answering on each of its ${job.attempts} attempts; it is not tried again`,
        };
        await tx.job.update({
          where: { id },
          data: {
            status: "FAILED",
            workerId: null,
            heartbeatAt: null,
            errorCode: error.code,
            errorMessage: error.message,
            finishedAt: new Date(),
          },
        });
        await this.finishHooks.get(kind)?.(tx, id, "FAILED");
        await this.events.append(id, "state", { status: "FAILED", attempt: job.attempts, error }, tx);
        this.logger.warn({ jobId: id, kind }, "a job's worker stopped answering on its last attempt; failed");
        return "failed";
      }
      await tx.job.update({ where: { id }, data: { status: "QUEUED", workerId: null, heartbeatAt: null } });
      await this.events.append(
        id,
        "state",
        {
          status: "QUEUED",
          attempt: job.attempts,
          error: { code: "WORKER_LOST", message: "Its worker stopped answering; it resumes on another" },
        },
        tx,
      );
      this.logger.warn({ jobId: id, kind }, "a job's worker stopped answering; queueing it to resume");
      return "queued";
    });
  }

  /** A waiting job whose cancel was asked for (while it ran, then it was handed back): cancelled now. */
  private async cancelWaiting(id: string, kind: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const message = "The job was cancelled";
      const { count } = await tx.job.updateMany({
        where: { id, status: "QUEUED" },
        data: { status: "CANCELLED", errorCode: "CANCELLED", errorMessage: message, finishedAt: new Date() },
      });
      if (count === 0) return;
      await this.finishHooks.get(kind)?.(tx, id, "CANCELLED");
      await this.events.append(
        id,
        "state",
        { status: "CANCELLED", error: { code: "CANCELLED", message } },
        tx,
      );
    });
  }

  private async orphans() {
    const waiting = await this.prisma.$queryRaw<
      Array<{
        id: string;
        kind: string;
        queueJobId: string | null;
        runAfter: Date | null;
        cancelRequested: boolean;
      }>
    >`
      SELECT id::text, kind, "queueJobId"::text AS "queueJobId", "runAfter", "cancelRequested" FROM "Job"
      WHERE status = 'QUEUED' AND kind = ANY(${this.kinds})
        AND "updatedAt" < now() - ${this.timing.staleAfterMs} * interval '1 millisecond'`;
    const orphans: typeof waiting = [];
    for (const row of waiting) {
      if (row.cancelRequested) {
        orphans.push(row);
        continue;
      }
      const queued = row.queueJobId ? await this.queue.getJob(row.kind, row.queueJobId) : null;
      if (!queued || !pending.has(queued.state)) orphans.push(row);
    }
    return orphans;
  }

  private async requeue(jobId: string, kind: string, runAfter: Date | null): Promise<void> {
    // Keyed by the job: a job already waiting in the queue is not queued twice.
    const queueJobId = await this.queue.send(
      kind,
      { jobId },
      { singletonKey: jobId, ...(runAfter && runAfter > new Date() ? { startAfter: runAfter } : {}) },
    );
    if (!queueJobId) return;
    await this.prisma.job.updateMany({
      where: { id: jobId, status: "QUEUED" },
      data: { queueJobId },
    });
  }
}

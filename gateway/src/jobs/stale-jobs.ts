import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logger";
import type { JobEventLog } from "./job-event-log";
import type { JobQueue } from "./job-queue";

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
 * (the process that queued it died between commit and send, or pg-boss gave up on it). Every
 * worker process sweeps; the statement that takes a stale job back is atomic, so only one of them
 * queues it.
 */
export class StaleJobSweeper {
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<unknown> | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly queue: JobQueue,
    private readonly events: JobEventLog,
    private readonly kinds: readonly string[],
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

  /** Queues every job found; returns their ids. */
  async sweep(): Promise<string[]> {
    const stale = await this.prisma.$queryRaw<Array<{ id: string; kind: string; attempts: number }>>`
      UPDATE "Job" SET status = 'QUEUED', "workerId" = NULL, "heartbeatAt" = NULL, "updatedAt" = now()
      WHERE status = 'RUNNING' AND kind = ANY(${this.kinds})
        AND coalesce("heartbeatAt", "startedAt", "createdAt") < now() - ${this.timing.staleAfterMs} * interval '1 millisecond'
      RETURNING id::text, kind, attempts`;
    for (const { id, kind, attempts } of stale) {
      this.logger.warn({ jobId: id, kind }, "a job's worker stopped answering; queueing it to resume");
      await this.events.append(id, "state", {
        status: "QUEUED",
        attempt: attempts,
        error: { code: "WORKER_LOST", message: "Its worker stopped answering; it resumes on another" },
      });
      await this.requeue(id, kind, null);
    }
    const orphans = await this.orphans();
    for (const { id, kind, runAfter } of orphans) await this.requeue(id, kind, runAfter);
    return [...stale.map((row) => row.id), ...orphans.map((row) => row.id)];
  }

  private async orphans(): Promise<Array<{ id: string; kind: string; runAfter: Date | null }>> {
    const waiting = await this.prisma.$queryRaw<
      Array<{ id: string; kind: string; queueJobId: string | null; runAfter: Date | null }>
    >`
      SELECT id::text, kind, "queueJobId"::text AS "queueJobId", "runAfter" FROM "Job"
      WHERE status = 'QUEUED' AND NOT "cancelRequested" AND kind = ANY(${this.kinds})
        AND "updatedAt" < now() - ${this.timing.staleAfterMs} * interval '1 millisecond'`;
    const orphans: Array<{ id: string; kind: string; runAfter: Date | null }> = [];
    for (const row of waiting) {
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

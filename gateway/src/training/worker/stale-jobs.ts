import type { PrismaClient } from "../../generated/prisma/client";
import type { JobQueue } from "../../jobs/job-queue";
import type { Logger } from "../../logger";
import { queuedProgress, type TrainingEventSink } from "./job-record";
import { TRAIN_JOB } from "../training.service";

/** Queue job states in which the queue will still run the job. */
const pending = new Set(["created", "retry", "active"]);

export interface SweepTiming {
  staleAfterMs: number;
  sweepIntervalMs: number;
}

/**
 * Finds training jobs no worker is going to finish and queues them again; the worker that takes
 * one resumes it from its trials' checkpoints. Two kinds: RUNNING jobs whose heartbeat stopped
 * (their worker died: killed, out of memory, its machine gone), and QUEUED jobs whose queue job
 * ended without running them (a worker stopped with them more often than the queue retries).
 * Every worker process sweeps; the statement that takes a stale job back is atomic, so only one
 * of them queues it.
 */
export class StaleJobSweeper {
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<unknown> | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly jobs: JobQueue,
    private readonly events: TrainingEventSink,
    private readonly logger: Logger,
    private readonly timing: SweepTiming,
  ) {}

  start(): void {
    const tick = () => {
      this.#sweeping ??= this.sweep()
        .catch((error) => this.logger.warn({ err: error }, "the stale training job sweep failed"))
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
    const stale = await this.prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE "TrainingJob" SET status = 'QUEUED', "workerId" = NULL, "heartbeatAt" = NULL
      WHERE status = 'RUNNING'
        AND coalesce("heartbeatAt", "startedAt", "createdAt") < now() - ${this.timing.staleAfterMs} * interval '1 millisecond'
      RETURNING id::text`;
    for (const { id } of stale) {
      this.logger.warn(
        { trainingJobId: id },
        "a training job's worker stopped answering; queueing it to resume",
      );
      await this.requeue(id);
      await this.events.append(id, "progress", await queuedProgress(this.prisma, id));
    }
    const orphans = await this.orphans();
    for (const id of orphans) await this.requeue(id);
    return [...stale.map((row) => row.id), ...orphans];
  }

  private async orphans(): Promise<string[]> {
    const waiting = await this.prisma.$queryRaw<Array<{ id: string; queueJobId: string | null }>>`
      SELECT id::text, "queueJobId"::text FROM "TrainingJob"
      WHERE status = 'QUEUED' AND NOT "cancelRequested"
        AND coalesce("heartbeatAt", "createdAt") < now() - ${this.timing.staleAfterMs} * interval '1 millisecond'`;
    const orphans: string[] = [];
    for (const { id, queueJobId } of waiting) {
      const queued = queueJobId ? await this.jobs.getJob(TRAIN_JOB, queueJobId) : null;
      if (!queued || !pending.has(queued.state)) orphans.push(id);
    }
    return orphans;
  }

  private async requeue(trainingJobId: string): Promise<void> {
    // Keyed like startTraining's: a job already waiting in the queue is not queued twice.
    const queueJobId = await this.jobs.send(TRAIN_JOB, { trainingJobId }, { singletonKey: trainingJobId });
    if (!queueJobId) return;
    await this.prisma.trainingJob.updateMany({
      where: { id: trainingJobId, status: "QUEUED" },
      data: { queueJobId },
    });
  }
}

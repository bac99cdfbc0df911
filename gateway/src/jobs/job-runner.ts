import { randomBytes } from "node:crypto";
import os from "node:os";
import * as grpc from "@grpc/grpc-js";
import type { PrismaClient } from "../generated/prisma/client";
import { AppError, ErrorCode } from "../errors";
import type { Logger } from "../logger";
import type { JobEventLog } from "./job-event-log";
import {
  JobInterrupted,
  PermanentJobError,
  TransientJobError,
  type JobContext,
  type JobHandler,
  type JobKind,
  type ProgressUpdate,
} from "./job-kind";
import type { JobQueue, RunningJob } from "./job-queue";
import { claimJob, JobRecord, type ClaimedJob, type FinishHook } from "./job-record";
import { JobWatch } from "./job-watch";
import { RunningJobs } from "./running-jobs";
import { StaleJobSweeper } from "./stale-jobs";
import { traceJobRun } from "../tracing/job-tracing";

export interface JobRunnerTiming {
  /** How often a running job's row is read for a cancel request (cancel takes effect within it). */
  pollMs: number;
  /** How often a running job's heartbeat is refreshed. */
  heartbeatMs: number;
  /** A RUNNING job whose heartbeat is older than this has lost its worker and is resumed. */
  staleAfterMs: number;
  /** How often this process looks for such jobs. */
  sweepIntervalMs: number;
  /** Multiplies every kind's retry backoff (1: as the kinds declare; below 1: sooner). */
  retryDelayFactor: number;
}

export const defaultJobRunnerTiming: JobRunnerTiming = {
  pollMs: 500,
  heartbeatMs: 3_000,
  staleAfterMs: 30_000,
  sweepIntervalMs: 10_000,
  retryDelayFactor: 1,
};

export interface WorkOptions {
  /** Jobs of this kind this process runs at once; 0 → none. */
  concurrency: number;
  /** Settles the kind's own rows when a job fails or is cancelled (same transaction). */
  onFinished?: FinishHook;
}

/** At most this many progress events (and row updates) a second per job. */
const PROGRESS_EVENTS_PER_SECOND = 4;
/** How long stopping waits for running jobs to be handed back (writing a few rows each). */
const HAND_BACK_TIMEOUT_MS = 5_000;

/**
 * Runs jobs of registered kinds in this process: claims the Job row a queue job names, keeps it
 * alive (heartbeat, cancel polling), gives the kind's handler a JobContext, and settles every way
 * a run can end on the row — success, permanent failure, transient failure (retried with the
 * kind's backoff until its attempts run out), cancel, takeover, or this process stopping (the
 * job is handed back, another worker resumes it). A sweep brings back jobs whose worker died.
 */
export class JobRunner {
  readonly workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  readonly #running = new RunningJobs();
  readonly #kinds = new Map<string, JobKind<unknown, object>>();
  readonly #finishHooks = new Map<string, FinishHook>();
  #sweeper: StaleJobSweeper | null = null;
  readonly #logger: Logger;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly queue: JobQueue,
    private readonly events: JobEventLog,
    logger: Logger,
    private readonly timing: JobRunnerTiming = defaultJobRunnerTiming,
  ) {
    this.#logger = logger.child({ component: "job-runner", workerId: this.workerId });
  }

  /** Works jobs of `kind` with `handler`; call once per kind, then `startSweeping`. */
  async work<Payload, Events extends object, Detail>(
    kind: JobKind<Payload, Events>,
    handler: JobHandler<Payload, Events, Detail>,
    options: WorkOptions,
  ): Promise<void> {
    if (options.concurrency <= 0) return;
    this.#kinds.set(kind.name, kind as JobKind<unknown, object>);
    if (options.onFinished) this.#finishHooks.set(kind.name, options.onFinished);
    await this.queue.work(
      kind.name,
      (queueJob: RunningJob<unknown>) =>
        traceJobRun(kind.name, queueJob, jobIdOf(queueJob.payload), () =>
          this.#run(kind, handler as JobHandler<unknown, object, unknown>, options, queueJob),
        ),
      { concurrency: options.concurrency },
    );
    this.#logger.info({ kind: kind.name, concurrency: options.concurrency }, "working jobs");
  }

  /** Starts the sweep for stale jobs of the kinds this process works. */
  startSweeping(): void {
    if (this.#kinds.size === 0 || this.#sweeper) return;
    this.#sweeper = new StaleJobSweeper(
      this.prisma,
      this.queue,
      this.events,
      [...this.#kinds.keys()],
      this.#finishHooks,
      this.#logger,
      this.timing,
    );
    this.#sweeper.start();
  }

  /** Runs one sweep now (tests; a worker that just started). */
  sweep(): Promise<string[]> {
    return this.#sweeper?.sweep() ?? Promise.resolve([]);
  }

  /** A cancel was asked for in this process: a run of the job here stops at once. */
  cancelLocally(jobId: string): void {
    this.#running.cancel(jobId);
  }

  /** Jobs running in this process now. */
  get runningCount(): number {
    return this.#running.size;
  }

  /** Stops sweeping and hands running jobs back to the queue; call before the queue stops. */
  async stop(): Promise<void> {
    await this.#sweeper?.stop();
    // No new runs here; the running ones are handed back below.
    await Promise.all([...this.#kinds.keys()].map((kind) => this.queue.offWork(kind).catch(() => {})));
    if (this.#running.size > 0) {
      this.#logger.info({ jobs: this.#running.size }, "handing running jobs back to the queue");
    }
    await this.#running.handBack(HAND_BACK_TIMEOUT_MS);
  }

  async #run(
    kind: JobKind<unknown, object>,
    handler: JobHandler<unknown, object, unknown>,
    options: WorkOptions,
    queueJob: RunningJob<unknown>,
  ): Promise<void> {
    const jobId = jobIdOf(queueJob.payload);
    if (!jobId) return;
    const claimed = await claimJob(this.prisma, jobId, this.workerId, queueJob.id, this.timing.staleAfterMs);
    // Finished, cancelled, deleted, waiting for its retry time, or alive on another worker.
    if (!claimed) return;
    const logger = this.#logger.child({ jobId, kind: kind.name, attempt: claimed.attempts });
    const record = new JobRecord(this.prisma, this.events, jobId, this.workerId, claimed.attempts);
    const watch = new JobWatch(record, queueJob.signal, this.timing, logger);
    const untrack = this.#running.track(watch);
    try {
      if (claimed.cancelRequested) throw new JobInterrupted("cancelled");
      await record.started();
      const context = this.#context(kind, claimed, record, watch.signal, logger);
      const outcome = (await handler(context)) ?? {};
      // A run that finished its work as its process began to stop still counts; a cancel or a
      // takeover does not.
      if (watch.interruption === "cancelled" || watch.interruption === "lost") watch.signal.throwIfAborted();
      if ((await record.succeed(outcome)) && outcome.afterSuccess) {
        await outcome
          .afterSuccess()
          .catch((error) => logger.warn({ err: error }, "work after the job's success failed"));
      }
    } catch (error) {
      await this.#settle(kind, claimed, record, watch, options, error, logger);
    } finally {
      watch.stop();
      untrack();
    }
  }

  #context(
    kind: JobKind<unknown, object>,
    claimed: ClaimedJob,
    record: JobRecord,
    signal: AbortSignal,
    logger: Logger,
  ): JobContext<unknown, object, unknown> {
    let fraction = claimed.progress;
    let phase: string | null = null;
    let done = claimed.done;
    let total = claimed.total;
    let lastSent = 0;
    const minIntervalMs = 1000 / PROGRESS_EVENTS_PER_SECOND;
    return {
      jobId: claimed.id,
      ownerId: claimed.ownerId,
      parentId: claimed.parentId,
      payload: kind.readPayload(claimed.payload, claimed.payloadVersion),
      attempt: claimed.attempts,
      signal,
      logger,
      startProgress: { fraction: claimed.progress, done: claimed.done, total: claimed.total },
      progress: async (update: ProgressUpdate) => {
        if (update.fraction !== undefined) fraction = Math.max(fraction, Math.min(1, update.fraction));
        const phaseChanged = update.phase !== undefined && update.phase !== phase;
        if (update.phase !== undefined) phase = update.phase;
        if (update.done !== undefined) done = update.done;
        if (update.total !== undefined) total = update.total;
        const now = Date.now();
        if (!update.force && !phaseChanged && now - lastSent < minIntervalMs) return;
        lastSent = now;
        await record.progress({
          fraction,
          phase,
          done,
          total,
          ...(update.detail !== undefined ? { detail: update.detail } : {}),
        });
      },
      emit: async (type, payload) => {
        await record.emit(type, payload);
      },
      write: (write) => record.whileMine(write),
    };
  }

  async #settle(
    kind: JobKind<unknown, object>,
    claimed: ClaimedJob,
    record: JobRecord,
    watch: JobWatch,
    options: WorkOptions,
    error: unknown,
    logger: Logger,
  ): Promise<void> {
    let interruption = watch.interruption ?? (error instanceof JobInterrupted ? error.kind : null);
    // A cancel asked for while the run failed or stopped is honoured now, not after a retry.
    if (interruption !== "cancelled" && interruption !== "lost") {
      const liveness = await record.liveness().catch(() => null);
      if (liveness?.cancelRequested) interruption = "cancelled";
    }
    if (interruption === "cancelled") {
      await record.cancel(options.onFinished);
      return;
    }
    if (interruption === "lost") return;
    if (interruption === "stopped") {
      if (await record.release(0, null)) await this.#requeue(kind.name, claimed.id, null, error);
      return;
    }
    const { code, message } = describeFailure(error);
    if (isTransient(error) && claimed.attempts < Math.max(claimed.maxAttempts, kind.maxAttempts)) {
      const delayMs = Math.round(kind.retryDelayMs(claimed.attempts) * this.timing.retryDelayFactor);
      logger.warn({ err: error, delayMs }, "job failed; it will be retried");
      const reason = {
        code,
        message: `Attempt ${claimed.attempts} failed, will retry: ${message}`,
      };
      if (await record.release(delayMs, reason)) {
        await this.#requeue(kind.name, claimed.id, new Date(Date.now() + delayMs), error);
      }
      return;
    }
    logger.warn({ err: error }, "job failed");
    await record.fail(code, message, options.onFinished);
  }

  /**
   * Queues the job's next run. When the queue is already gone the error goes to it, and its retry
   * (or the stale-job sweep) brings the job back.
   */
  async #requeue(kind: string, jobId: string, startAfter: Date | null, cause: unknown): Promise<void> {
    const queueJobId = await this.queue
      .send(kind, { jobId }, { singletonKey: jobId, ...(startAfter ? { startAfter } : {}) })
      .catch(() => {
        throw cause;
      });
    if (queueJobId) {
      await this.prisma.job.updateMany({ where: { id: jobId, status: "QUEUED" }, data: { queueJobId } });
    }
  }
}

/** Queue jobs name their Job row; those queued before the platform named the training job or run. */
function jobIdOf(payload: unknown): string | null {
  if (!payload || typeof payload !== "object") return null;
  const { jobId, trainingJobId, runId } = payload as Record<string, unknown>;
  const id = jobId ?? trainingJobId ?? runId;
  return typeof id === "string" ? id : null;
}

const transientGrpc = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.RESOURCE_EXHAUSTED,
]);
/** Network errors, PostgreSQL's "the server went away / is starting" classes, Prisma's connection errors. */
const transientCodes = new Set([
  ...["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"],
  ...["57P01", "57P02", "57P03", "08000", "08001", "08003", "08006"],
  ...["P1001", "P1002", "P1008", "P1017", "P2024"],
]);

/** Errors whose text is the code's, not the user's (a programming error). */
const internalErrors = [TypeError, RangeError, ReferenceError, SyntaxError];

/** Worth another attempt later: the tier or the network away, not the job's inputs. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientJobError) return true;
  if (error instanceof PermanentJobError) return false;
  if (error instanceof AppError) return error.code === ErrorCode.SERVICE_UNAVAILABLE;
  const { code } = (error ?? {}) as { code?: unknown };
  if (typeof code === "number") return transientGrpc.has(code);
  return typeof code === "string" && transientCodes.has(code);
}

function describeFailure(error: unknown): { code: string; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof PermanentJobError || error instanceof TransientJobError)
    return { code: error.code, message };
  if (error instanceof AppError) return { code: error.code, message };
  const code = isTransient(error) ? "UNAVAILABLE" : "FAILED";
  // The job's owner (and, through public datasets, others) reads this: no statements or stacks.
  const name = error instanceof Error ? error.constructor.name : "";
  if (name.startsWith("Prisma") || internalErrors.some((type) => error instanceof type)) {
    return {
      code: code === "UNAVAILABLE" ? code : "INTERNAL",
      message: "The job failed on an internal error; the worker's log has the details",
    };
  }
  return { code, message };
}

import { randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import type { Logger } from "../logger";
import { withQueuingTrace } from "../tracing/job-tracing";

/** How pg-boss retries a queue job whose handler threw, and how long one run may hold it. */
export interface JobKindOptions {
  /** Retries after the first attempt. */
  retryLimit?: number;
  /** Delay before the first retry; with `retryBackoff` it doubles each time (with jitter). */
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /** A run still active after this long is failed (and retried) by the queue's maintenance. */
  expireInSeconds?: number;
}

export const defaultJobKindOptions: Required<JobKindOptions> = {
  retryLimit: 3,
  retryDelaySeconds: 5,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
};

/** Every queue job of the platform names the Job row it runs; the row is the truth. */
export type JobPayloads = Record<string, { jobId: string }>;

/** pg-boss's way into a transaction someone else holds: the job commits or rolls back with it. */
export interface TransactionExecutor {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Background jobs in PostgreSQL (pg-boss, in its own `pgboss` schema beside Prisma's tables):
 * jobs outlive the process that queued them, failed runs are retried with exponential backoff,
 * and any number of processes on one database share the work without running a job twice.
 */

export type JobState = "created" | "retry" | "active" | "completed" | "cancelled" | "failed";

export interface SendOptions {
  /** While a job with this key waits to run, sending another with it queues nothing. */
  singletonKey?: string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  startAfter?: Date;
  /** The queue job's id (a new one when not given). */
  id?: string;
  /** Inserts the queue job in this transaction instead of on the queue's own connection. */
  db?: TransactionExecutor;
}

export interface RunningJob<Payload> {
  id: string;
  payload: Payload;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** Aborted when the job is cancelled here or the queue stops before the handler returns. */
  signal: AbortSignal;
}

/** Resolving completes the job; throwing fails this attempt and the queue retries it later. */
export type JobHandler<Payload> = (job: RunningJob<Payload>) => Promise<void>;

export interface JobInfo<Payload> {
  id: string;
  state: JobState;
  payload: Payload;
  /** Runs started so far. */
  attempt: number;
  retryLimit: number;
  singletonKey: string | null;
  /** The message of the last failure, once the job has failed for good. */
  error: string | null;
  createdOn: Date;
  startedOn: Date | null;
  completedOn: Date | null;
}

export interface JobQueueOptions<Payloads> {
  /** How often an idle worker looks for work (pg-boss allows 0.5 s at least). */
  pollingIntervalSeconds?: number;
  /** How often expired runs are failed and old jobs archived. */
  maintenanceIntervalSeconds?: number;
  kinds?: Partial<Record<keyof Payloads, JobKindOptions>>;
}

export interface StopOptions {
  /** Wait for running handlers (up to `timeoutMs`) instead of failing their jobs at once. */
  graceful?: boolean;
  timeoutMs?: number;
}

const SCHEMA = "pgboss";

export class JobQueue<Payloads extends object = JobPayloads> {
  readonly #boss: PgBoss;
  readonly #logger: Logger;
  readonly #options: JobQueueOptions<Payloads>;
  readonly #queues = new Map<string, Promise<void>>();
  readonly #workerIds = new Map<string, string[]>();
  readonly #running = new Map<string, AbortController>();
  #stopping: Promise<void> | null = null;

  private constructor(boss: PgBoss, logger: Logger, options: JobQueueOptions<Payloads>) {
    this.#boss = boss;
    this.#logger = logger;
    this.#options = options;
  }

  /** Connects, creating or upgrading the `pgboss` schema when needed. */
  static async start<Payloads extends object = JobPayloads>(
    url: string,
    logger: Logger,
    options: JobQueueOptions<Payloads> = {},
  ): Promise<JobQueue<Payloads>> {
    const boss = new PgBoss({
      connectionString: url,
      schema: SCHEMA,
      application_name: "tessera-jobs",
      max: 4,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
      supervise: true,
      schedule: false,
    });
    boss.on("error", (error) => logger.error({ err: error }, "job queue error"));
    await boss.start();
    return new JobQueue(boss, logger, options);
  }

  /** Queues a job; returns its id, or null when `singletonKey` matched a job still waiting. */
  async send<Kind extends keyof Payloads & string>(
    kind: Kind,
    payload: Payloads[Kind],
    options: SendOptions = {},
  ): Promise<string | null> {
    await this.#queue(kind);
    const defaults = this.#kindOptions(kind);
    const id = options.id ?? randomUUID();
    // The queuing request's trace context rides along, for the run's span to link back to it.
    const sent = await this.#boss.send(kind, withQueuingTrace(payload) as object, {
      id,
      // Every queue deduplicates waiting jobs by key, so a job sent without one gets its own.
      singletonKey: options.singletonKey ?? id,
      retryLimit: options.retryLimit ?? defaults.retryLimit,
      retryDelay: options.retryDelaySeconds ?? defaults.retryDelaySeconds,
      retryBackoff: options.retryBackoff ?? defaults.retryBackoff,
      expireInSeconds: defaults.expireInSeconds,
      ...(options.startAfter ? { startAfter: options.startAfter } : {}),
      ...(options.db ? { db: options.db as PgBoss.Db } : {}),
    });
    // In a transaction the job is not visible before commit; its worker wakes by polling then.
    if (sent && !options.startAfter && !options.db) {
      for (const workerId of this.#workerIds.get(kind) ?? []) this.#boss.notifyWorker(workerId);
    }
    return sent;
  }

  /** Runs `handler` for jobs of `kind`, at most `concurrency` at once in this process. */
  async work<Kind extends keyof Payloads & string>(
    kind: Kind,
    handler: JobHandler<Payloads[Kind]>,
    { concurrency = 1 }: { concurrency?: number } = {},
  ): Promise<void> {
    if (this.#stopping) throw new Error(`The job queue is stopped; cannot start workers for "${kind}".`);
    await this.#queue(kind);
    const workerIds = this.#workerIds.get(kind) ?? [];
    this.#workerIds.set(kind, workerIds);
    for (let i = 0; i < concurrency; i++) {
      let workerId = "";
      workerId = await this.#boss.work<Payloads[Kind]>(
        kind,
        {
          batchSize: 1,
          includeMetadata: true,
          pollingIntervalSeconds: this.#options.pollingIntervalSeconds ?? 2,
        },
        async ([job]) => {
          if (!job) return;
          try {
            await this.#run(kind, job, handler);
          } finally {
            // pg-boss sleeps a polling interval after every job; waking the worker makes it take
            // the next waiting job at once and sleep only when it finds none.
            this.#boss.notifyWorker(workerId);
          }
        },
      );
      workerIds.push(workerId);
    }
  }

  /** Stops taking jobs of `kind` in this process; handlers already running go on. */
  async offWork(kind: keyof Payloads & string): Promise<void> {
    this.#workerIds.delete(kind);
    await this.#boss.offWork(kind);
  }

  /** Cancels a job that has not finished; a handler running it here sees its signal abort. */
  async cancel<Kind extends keyof Payloads & string>(kind: Kind, id: string): Promise<boolean> {
    await this.#queue(kind);
    // pg-boss's typings say void; it answers how many jobs it changed.
    const result = (await this.#boss.cancel(kind, id)) as unknown as { affected: number };
    this.#running.get(id)?.abort(new Error(`Job ${id} was cancelled.`));
    return result.affected > 0;
  }

  async getJob<Kind extends keyof Payloads & string>(
    kind: Kind,
    id: string,
  ): Promise<JobInfo<Payloads[Kind]> | null> {
    await this.#queue(kind);
    const job = await this.#boss.getJobById<Payloads[Kind]>(kind, id, { includeArchive: true });
    if (!job) return null;
    return {
      id: job.id,
      state: job.state,
      payload: job.data,
      attempt: job.retryCount + (job.startedOn ? 1 : 0),
      retryLimit: job.retryLimit,
      singletonKey: job.singletonKey === job.id ? null : job.singletonKey,
      error: job.state === "failed" ? failureMessage(job.output) : null,
      createdOn: job.createdOn,
      startedOn: job.startedOn ?? null,
      completedOn: job.completedOn ?? null,
    };
  }

  /**
   * Stops taking jobs. Graceful: waits up to `timeoutMs` for running handlers; whatever still
   * runs then (or at once when not graceful) has its signal aborted and its job failed, to be
   * retried by whichever worker is alive.
   */
  stop({ graceful = true, timeoutMs = 30_000 }: StopOptions = {}): Promise<void> {
    this.#stopping ??= (async () => {
      const abortAll = () => {
        for (const controller of this.#running.values()) {
          controller.abort(new Error("The job queue stopped before the job finished."));
        }
      };
      if (!graceful) abortAll();
      const timer = graceful ? setTimeout(abortAll, timeoutMs) : undefined;
      try {
        await this.#boss.stop({ graceful, timeout: Math.max(timeoutMs, 1000), wait: true });
      } finally {
        clearTimeout(timer);
      }
    })();
    return this.#stopping;
  }

  async #run<Kind extends keyof Payloads & string>(
    kind: Kind,
    job: PgBoss.JobWithMetadata<Payloads[Kind]>,
    handler: JobHandler<Payloads[Kind]>,
  ): Promise<void> {
    const controller = new AbortController();
    this.#running.set(job.id, controller);
    const attempt = job.retryCount + 1;
    try {
      await handler({ id: job.id, payload: job.data, attempt, signal: controller.signal });
    } catch (error) {
      const retries = attempt <= job.retryLimit;
      this.#logger.warn(
        { err: error, kind, jobId: job.id, attempt },
        retries ? "job failed; it will be retried" : "job failed for good",
      );
      throw error;
    } finally {
      this.#running.delete(job.id);
    }
  }

  /**
   * Creates the kinds' queues when they do not exist yet. Call before sending in a transaction:
   * creating a queue there would wait on another connection, which the embedded database only
   * serves once the transaction is over.
   */
  async ensureQueues(kinds: ReadonlyArray<keyof Payloads & string>): Promise<void> {
    // One at a time: pg-boss creates a queue's partition under locks, and two creations at once
    // deadlock on PostgreSQL.
    for (const kind of kinds) await this.#queue(kind);
  }

  /** Whether `ensureQueues` (or a send or work) created the kind's queue in this process. */
  hasQueue(kind: keyof Payloads & string): boolean {
    return this.#queues.has(kind);
  }

  /** pg-boss needs a queue created before jobs go in; every queue dedups waiting jobs by key. */
  #queue(kind: string): Promise<void> {
    let created = this.#queues.get(kind);
    if (!created) {
      created = this.#createQueue(kind);
      this.#queues.set(kind, created);
      // A failed creation is tried again by the next caller.
      created.catch(() => this.#queues.delete(kind));
    }
    return created;
  }

  /** Another process creating a queue at the same moment can deadlock with this one: try again. */
  async #createQueue(kind: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#boss.createQueue(kind, { name: kind, policy: "short" });
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code !== "40P01" || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
      }
    }
  }

  #kindOptions(kind: keyof Payloads): Required<JobKindOptions> {
    return { ...defaultJobKindOptions, ...this.#options.kinds?.[kind] };
  }

  /** Wakes this process's idle workers of `kind` (after a transaction that queued one committed). */
  notify(kind: string): void {
    for (const workerId of this.#workerIds.get(kind) ?? []) this.#boss.notifyWorker(workerId);
  }
}

function failureMessage(output: unknown): string | null {
  if (output && typeof output === "object") {
    const { message, value } = output as { message?: unknown; value?: unknown };
    if (typeof message === "string") return message;
    if (typeof value === "string") return value;
  }
  return null;
}

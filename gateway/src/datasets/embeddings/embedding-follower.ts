import type { JobEventLog } from "../../jobs/job-event-log";
import type { JobEventRecord } from "../../jobs/job-event-subscriber";
import type { Logger } from "../../logger";
import type { EmbeddingStatus } from "./embeddings.types";

export interface FollowerSources {
  events: JobEventLog;
  /** The version's runs with their current job ids. */
  runs(): Promise<Array<{ runId: string; jobId: string }>>;
  /** What a subscriber joining at the job log's `seq` is told first (see snapshotOf). */
  startingState(jobId: string, seq: number): Promise<JobEventRecord[]>;
  statusOfRun(runId: string): Promise<EmbeddingStatus | null>;
  statusesOf(): Promise<EmbeddingStatus[]>;
  logger: Logger;
}

interface FollowedLog {
  runId: string;
  startSeq: number;
  events: AsyncIterableIterator<JobEventRecord>;
  /** Called once its starting state was read, or once it ended without one. */
  started: () => void;
}

/**
 * `embeddingProgress` of one dataset version: its runs' current statuses, then a status each time
 * one of their jobs logs an event — a view over the job platform's logs. Runs queued later (another
 * space, a failed run queued again under a new job) are picked up by a look every `lookMs`, so the
 * stream runs until the client leaves, as it always has. Hand-written rather than an async
 * generator: `return()` must end it at once, even while it waits for a quiet run.
 */
export class EmbeddingFollower implements AsyncIterableIterator<EmbeddingStatus> {
  readonly #logs = new Map<string, FollowedLog>();
  readonly #queue: EmbeddingStatus[] = [];
  #waiting: ((result: IteratorResult<EmbeddingStatus>) => void) | null = null;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #looking = false;

  constructor(
    private readonly sources: FollowerSources,
    private readonly lookMs = 2_000,
  ) {}

  /** Follows the runs there are now and queues their statuses, read once every log has started. */
  async start(): Promise<this> {
    await this.#followNew();
    for (const status of await this.sources.statusesOf()) this.#push(status);
    this.#timer = setInterval(() => void this.#look(), this.lookMs);
    this.#timer.unref();
    return this;
  }

  next(): Promise<IteratorResult<EmbeddingStatus>> {
    const status = this.#queue.shift();
    if (status) return Promise.resolve({ value: status, done: false });
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  async return(): Promise<IteratorResult<EmbeddingStatus>> {
    this.#close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#queue.length = 0;
    for (const log of this.#logs.values()) void log.events.return?.();
    this.#logs.clear();
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.({ value: undefined, done: true });
  }

  #push(status: EmbeddingStatus): void {
    if (this.#closed) return;
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = null;
      waiting({ value: status, done: false });
    } else {
      this.#queue.push(status);
    }
  }

  async #look(): Promise<void> {
    if (this.#looking || this.#closed) return;
    this.#looking = true;
    try {
      // A new run's status is read after its log started: what happens next arrives as events.
      for (const runId of await this.#followNew()) {
        const status = await this.sources.statusOfRun(runId);
        if (status) this.#push(status);
      }
    } catch (error) {
      this.sources.logger.warn({ err: error }, "looking for new embedding runs failed; trying again");
    } finally {
      this.#looking = false;
    }
  }

  /** Subscribes to the logs of jobs not followed yet; resolves once each has its starting point. */
  async #followNew(): Promise<string[]> {
    const fresh = (await this.sources.runs()).filter((run) => !this.#logs.has(run.jobId));
    await Promise.all(
      fresh.map(async ({ runId, jobId }) => {
        let started!: () => void;
        const ready = new Promise<void>((resolve) => (started = resolve));
        const log: FollowedLog = { runId, startSeq: Number.POSITIVE_INFINITY, events: null!, started };
        log.events = this.sources.events.subscribe(jobId, async (seq) => {
          log.startSeq = seq;
          try {
            return await this.sources.startingState(jobId, seq);
          } finally {
            started();
          }
        });
        this.#logs.set(jobId, log);
        void this.#pump(log);
        await ready;
      }),
    );
    return fresh.map((run) => run.runId);
  }

  async #pump(log: FollowedLog): Promise<void> {
    try {
      for (;;) {
        const result = await log.events.next();
        if (result.done || this.#closed) return;
        // The starting state is already in the statuses read after every log started.
        if (result.value.seq <= log.startSeq) continue;
        const status = await this.sources.statusOfRun(log.runId);
        if (status) this.#push(status);
      }
    } catch (error) {
      this.sources.logger.warn({ err: error, runId: log.runId }, "following an embedding run failed");
    } finally {
      log.started();
    }
  }
}

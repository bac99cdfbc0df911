import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logger";
import type { TrainingEventPayloads, TrainingEventRecord, TrainingEventType } from "./training-contracts";
import { currentState, lastSeq } from "./training-event-snapshot";
import { TrainingEventSubscriber } from "./training-event-subscriber";

export interface TrainingEventLogOptions {
  /** How often a job's log is read while anyone listens (appends in this process wake it at once). */
  pollIntervalMs?: number;
  /** Events one subscriber may fall behind before it is dropped. */
  maxQueuedPerSubscriber?: number;
}

type EventRow = { seq: number; type: string; payload: unknown; createdAt: Date };

const MAX_APPEND_ATTEMPTS = 50;
const POLL_BATCH = 500;

/**
 * Each training job's events, in order (`seq` 1, 2, … per job), stored in the TrainingEvent
 * table so any process can append and any can follow: a worker in another process appends, the
 * gateway's subscribers receive. Per job, one upstream reads new rows for all its subscribers,
 * only while it has any.
 */
export class TrainingEventLog {
  readonly #upstreams = new Map<string, JobUpstream>();
  readonly #pollIntervalMs: number;
  readonly #maxQueued: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    options: TrainingEventLogOptions = {},
  ) {
    this.#pollIntervalMs = options.pollIntervalMs ?? 200;
    this.#maxQueued = options.maxQueuedPerSubscriber ?? 10_000;
  }

  /**
   * Stores the event as the job's next one. The next seq is read and written in one statement;
   * two appenders that race for it collide on the (jobId, seq) key and the loser takes the next.
   */
  async append<T extends TrainingEventType>(
    jobId: string,
    type: T,
    payload: TrainingEventPayloads[T],
  ): Promise<TrainingEventRecord> {
    for (let attempt = 1; ; attempt++) {
      try {
        const [row] = await this.prisma.$queryRaw<Array<{ seq: number; createdAt: Date }>>`
          INSERT INTO "TrainingEvent" ("jobId", seq, type, payload)
          SELECT ${jobId}::uuid, coalesce(max(seq), 0) + 1, ${type}, ${JSON.stringify(payload)}::jsonb
          FROM "TrainingEvent" WHERE "jobId" = ${jobId}::uuid
          RETURNING seq, "createdAt"`;
        this.#upstreams.get(jobId)?.wake();
        return { jobId, seq: row!.seq, type, payload, createdAt: row!.createdAt } as TrainingEventRecord;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= MAX_APPEND_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * The job's current state (see currentState), then every event appended after it, until a
   * completed or failed event (included), `signal` aborts or the caller returns the iterator.
   * Iterate it or return it: it holds its place among the job's subscribers until then.
   */
  subscribe(jobId: string, signal?: AbortSignal): AsyncIterableIterator<TrainingEventRecord> {
    let upstream = this.#upstreams.get(jobId);
    if (!upstream) {
      const created = new JobUpstream(jobId, this.prisma, this.logger, this.#pollIntervalMs, () => {
        if (this.#upstreams.get(jobId) === created) this.#upstreams.delete(jobId);
      });
      this.#upstreams.set(jobId, created);
      upstream = created;
    }
    const joined = upstream;
    const subscriber = new TrainingEventSubscriber(this.#maxQueued, (left) => {
      joined.leave(left);
      signal?.removeEventListener("abort", onAbort);
    });
    const onAbort = () => void subscriber.return();
    joined.join(subscriber);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    void this.#start(joined, subscriber);
    return subscriber;
  }

  /** Jobs whose log is being followed now (each has one upstream, whatever its subscribers). */
  get upstreamCount(): number {
    return this.#upstreams.size;
  }

  subscriberCount(jobId: string): number {
    return this.#upstreams.get(jobId)?.size ?? 0;
  }

  /** Ends every subscription (at shutdown); their clients see the stream complete. */
  close(): void {
    for (const upstream of [...this.#upstreams.values()]) upstream.closeAll();
  }

  /**
   * The snapshot is read after the upstream's starting point, so it reflects at least every event
   * the upstream will skip; the subscriber then drops what its snapshot already covers.
   */
  async #start(upstream: JobUpstream, subscriber: TrainingEventSubscriber): Promise<void> {
    try {
      await upstream.ready;
      const seq = await lastSeq(this.prisma, upstream.jobId);
      subscriber.start(await currentState(this.prisma, upstream.jobId, seq), seq);
    } catch (error) {
      subscriber.fail(error);
    }
  }
}

/** The one reader of a job's new events, shared by all its subscribers in this process. */
class JobUpstream {
  readonly ready: Promise<void>;
  readonly #subscribers = new Set<TrainingEventSubscriber>();
  #cursor = 0;
  #timer: NodeJS.Timeout | undefined;
  #started = false;
  #polling = false;
  #again = false;
  #stopped = false;

  constructor(
    readonly jobId: string,
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly onStop: () => void,
  ) {
    // Followers start from the present: history is told as the current state, not replayed.
    this.ready = lastSeq(prisma, jobId).then((seq) => {
      this.#cursor = seq;
      this.#started = true;
      this.#schedule(this.#again ? 0 : this.intervalMs);
    });
    // Each subscriber awaits `ready` and fails with its error; this only marks it handled.
    this.ready.catch(() => {});
  }

  get size(): number {
    return this.#subscribers.size;
  }

  join(subscriber: TrainingEventSubscriber): void {
    this.#subscribers.add(subscriber);
  }

  leave(subscriber: TrainingEventSubscriber): void {
    this.#subscribers.delete(subscriber);
    if (this.#subscribers.size === 0) this.#stop();
  }

  /** An event was appended in this process: read it now rather than at the next tick. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#polling || !this.#started) this.#again = true;
    else this.#schedule(0);
  }

  closeAll(): void {
    for (const subscriber of [...this.#subscribers]) void subscriber.return();
    this.#stop();
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#poll(), delayMs);
  }

  async #poll(): Promise<void> {
    this.#timer = undefined;
    if (this.#stopped) return;
    this.#polling = true;
    this.#again = false;
    try {
      const rows = await this.prisma.$queryRaw<EventRow[]>`
        SELECT seq, type, payload, "createdAt" FROM "TrainingEvent"
        WHERE "jobId" = ${this.jobId}::uuid AND seq > ${this.#cursor}
        ORDER BY seq LIMIT ${POLL_BATCH}`;
      for (const row of rows) {
        this.#cursor = row.seq;
        const record = { jobId: this.jobId, ...row } as TrainingEventRecord;
        for (const subscriber of [...this.#subscribers]) subscriber.deliver(record);
      }
      if (rows.length === POLL_BATCH) this.#again = true;
    } catch (error) {
      this.logger.warn({ err: error, jobId: this.jobId }, "reading training events failed; retrying");
    } finally {
      this.#polling = false;
      this.#schedule(this.#again ? 0 : this.intervalMs);
    }
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.onStop();
  }
}

/** Prisma reports a unique violation as P2002, or inside P2010 for raw statements. */
function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002") return true;
  const cause = (error.meta?.driverAdapterError as { cause?: { kind?: string } } | undefined)?.cause;
  return error.code === "P2010" && cause?.kind === "UniqueConstraintViolation";
}

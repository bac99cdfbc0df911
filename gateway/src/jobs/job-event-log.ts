import { Prisma, type PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logger";
import { JobEventSubscriber, type JobEventRecord } from "./job-event-subscriber";

/** The channel a job's id is notified on after each append (ids only: the log is the truth). */
export const JOB_EVENTS_CHANNEL = "tessera_job_events";

/** What a subscriber is told first: the job as of the log's `seq`, as records of its view. */
export type StartingState = (seq: number) => Promise<JobEventRecord[]>;

/** Who can append: the client itself or a transaction (events appended with the rows they describe). */
type Sql = Pick<PrismaClient, "$queryRaw">;

export interface JobEventLogOptions {
  /**
   * How often a job's log is read while anyone listens and no notification arrives; appends in
   * this process, and NOTIFY from others where the database delivers it, wake it at once.
   */
  pollIntervalMs?: number;
  /** Events one subscriber may fall behind before it is dropped. */
  maxQueuedPerSubscriber?: number;
}

type EventRow = { seq: number; type: string; payload: unknown; createdAt: Date };

const POLL_BATCH = 500;

/**
 * Each job's events, in order (`seq` 1, 2, … per job), stored in the JobEvent table so any
 * process can append and any can follow: a worker in another process appends, the gateway's
 * subscribers receive. Per job, one upstream reads new rows for all its subscribers, only while
 * it has any; it reads when woken (an append here, a NOTIFY from elsewhere) and on a timer.
 */
export class JobEventLog {
  readonly #upstreams = new Map<string, JobUpstream>();
  #pollIntervalMs: number;
  readonly #maxQueued: number;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    options: JobEventLogOptions = {},
  ) {
    this.#pollIntervalMs = options.pollIntervalMs ?? 200;
    this.#maxQueued = options.maxQueuedPerSubscriber ?? 10_000;
  }

  /**
   * Stores the event as the job's next one, in `tx` when given (the event then commits with the
   * rows it describes). One statement: the seq comes from the job row's counter, whose row lock
   * orders concurrent appenders (PostgreSQL re-reads the counter after waiting), so two never take
   * the same seq and none has to retry.
   */
  async append<Type extends string, Payload>(
    jobId: string,
    type: Type,
    payload: Payload,
    tx?: Prisma.TransactionClient,
  ): Promise<JobEventRecord<Type, Payload>> {
    const sql: Pick<PrismaClient, "$queryRaw"> = tx ?? this.prisma;
    const [row] = await sql.$queryRaw<Array<{ seq: number; createdAt: Date }>>`
      WITH next AS (
        UPDATE "Job" SET "lastSeq" = "lastSeq" + 1 WHERE id = ${jobId}::uuid RETURNING "lastSeq"),
      appended AS (
        INSERT INTO "JobEvent" ("jobId", seq, type, payload)
        SELECT ${jobId}::uuid, "lastSeq", ${type}, ${JSON.stringify(payload)}::jsonb FROM next
        RETURNING seq, "createdAt")
      SELECT seq, "createdAt", pg_notify(${JOB_EVENTS_CHANNEL}, ${jobId})::text AS notified FROM appended`;
    if (!row) throw new Error(`Job ${jobId} does not exist: its event was not logged`);
    this.wake(jobId);
    return { jobId, seq: row.seq, type, payload, createdAt: row.createdAt };
  }

  /** A job's log grew (here, or elsewhere as a notification said): its followers read it now. */
  wake(jobId: string): void {
    this.#upstreams.get(jobId)?.wake();
  }

  /** Changes how often followed logs are read without a wake-up (see JobNotifier). */
  setPollInterval(ms: number): void {
    this.#pollIntervalMs = ms;
    for (const upstream of this.#upstreams.values()) upstream.intervalMs = ms;
  }

  get pollIntervalMs(): number {
    return this.#pollIntervalMs;
  }

  /**
   * The job's state as `startingState` tells it, then every event appended after it, until a
   * final state event (included), `signal` aborts or the caller returns the iterator. Iterate it
   * or return it: it holds its place among the job's subscribers until then.
   */
  subscribe(
    jobId: string,
    startingState: StartingState,
    signal?: AbortSignal,
  ): AsyncIterableIterator<JobEventRecord> {
    let upstream = this.#upstreams.get(jobId);
    if (!upstream) {
      const created = new JobUpstream(jobId, this.prisma, this.logger, this.#pollIntervalMs, () => {
        if (this.#upstreams.get(jobId) === created) this.#upstreams.delete(jobId);
      });
      this.#upstreams.set(jobId, created);
      upstream = created;
    }
    const joined = upstream;
    const subscriber = new JobEventSubscriber(this.#maxQueued, (left) => {
      joined.leave(left);
      signal?.removeEventListener("abort", onAbort);
    });
    const onAbort = () => void subscriber.return();
    joined.join(subscriber);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
    void this.#start(joined, subscriber, startingState);
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
  async #start(
    upstream: JobUpstream,
    subscriber: JobEventSubscriber,
    startingState: StartingState,
  ): Promise<void> {
    try {
      await upstream.ready;
      const seq = await lastSeq(this.prisma, upstream.jobId);
      subscriber.start(await startingState(seq), seq);
    } catch (error) {
      subscriber.fail(error);
    }
  }
}

/** The one reader of a job's new events, shared by all its subscribers in this process. */
class JobUpstream {
  readonly ready: Promise<void>;
  readonly #subscribers = new Set<JobEventSubscriber>();
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
    public intervalMs: number,
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

  join(subscriber: JobEventSubscriber): void {
    this.#subscribers.add(subscriber);
  }

  leave(subscriber: JobEventSubscriber): void {
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
        SELECT seq, type, payload, "createdAt" FROM "JobEvent"
        WHERE "jobId" = ${this.jobId}::uuid AND seq > ${this.#cursor}
        ORDER BY seq LIMIT ${POLL_BATCH}`;
      for (const row of rows) {
        this.#cursor = row.seq;
        const record: JobEventRecord = { jobId: this.jobId, ...row };
        for (const subscriber of [...this.#subscribers]) subscriber.deliver(record);
      }
      if (rows.length === POLL_BATCH) this.#again = true;
    } catch (error) {
      this.logger.warn({ err: error, jobId: this.jobId }, "reading job events failed; retrying");
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

/** The highest seq in the job's log; 0 while it has none. */
export async function lastSeq(prisma: Sql, jobId: string): Promise<number> {
  const [row] = await prisma.$queryRaw<Array<{ seq: number }>>`
    SELECT coalesce(max(seq), 0)::int AS seq FROM "JobEvent" WHERE "jobId" = ${jobId}::uuid`;
  return row?.seq ?? 0;
}

import { finalStatuses, type JobStatusName } from "./job-kind";

/** One event of a job's log: `seq` 1, 2, … per job. */
export interface JobEventRecord<Type extends string = string, Payload = unknown> {
  jobId: string;
  seq: number;
  type: Type;
  payload: Payload;
  createdAt: Date;
}

/** The platform's own event types; a kind's handler adds its own beside them. */
export interface StateEventPayload {
  status: JobStatusName;
  attempt?: number;
  error: { code: string; message: string } | null;
  result?: unknown;
}

export interface ProgressEventPayload {
  status: JobStatusName;
  fraction: number;
  phase: string | null;
  done: number | null;
  total: number | null;
  detail?: unknown;
}

/** Events that end a job's stream: its move to SUCCEEDED, FAILED or CANCELLED. */
export const isFinalEvent = (record: JobEventRecord) =>
  record.type === "state" && finalStatuses.includes((record.payload as StateEventPayload).status);

/**
 * One subscriber's view of a job's log, as an async iterator. Events arriving before its starting
 * state is known wait in `pending`; once `start` gives that state (and the seq it reflects), only
 * later events pass. A hand-written iterator rather than an async generator: `return()` must end
 * it at once even while `next()` waits, or a client that disconnects from a quiet job would stay
 * subscribed until the job's next event.
 */
export class JobEventSubscriber implements AsyncIterableIterator<JobEventRecord> {
  readonly #queue: JobEventRecord[] = [];
  #pending: JobEventRecord[] | null = [];
  #afterSeq = 0;
  #waiting: {
    resolve: (result: IteratorResult<JobEventRecord>) => void;
    reject: (error: unknown) => void;
  } | null = null;
  #failure: unknown = null;
  /** No more events will be queued (a final event was queued, or it was closed). */
  #ended = false;

  constructor(
    private readonly maxQueued: number,
    private readonly onEnd: (subscriber: JobEventSubscriber) => void,
  ) {}

  /** The job's state as of `seq`, then the events after it that already arrived. */
  start(state: JobEventRecord[], seq: number): void {
    if (this.#ended || !this.#pending) return;
    const arrived = this.#pending;
    this.#pending = null;
    this.#afterSeq = seq;
    for (const record of state) this.#enqueue(record);
    for (const record of arrived) this.deliver(record);
  }

  deliver(record: JobEventRecord): void {
    if (this.#ended) return;
    if (this.#pending) {
      this.#pending.push(record);
      return;
    }
    if (record.seq <= this.#afterSeq) return;
    this.#afterSeq = record.seq;
    this.#enqueue(record);
  }

  /** Ends the stream with an error; what was still queued is dropped. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#failure = error;
    this.#queue.length = 0;
    this.#end();
  }

  next(): Promise<IteratorResult<JobEventRecord>> {
    const record = this.#queue.shift();
    if (record) return Promise.resolve({ value: record, done: false });
    if (this.#failure !== null) {
      const failure = this.#failure;
      this.#failure = null;
      return Promise.reject(failure);
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<JobEventRecord>> {
    this.#queue.length = 0;
    this.#failure = null;
    this.#end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<JobEventRecord>> {
    this.#queue.length = 0;
    this.#end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #enqueue(record: JobEventRecord): void {
    if (this.#queue.length >= this.maxQueued) {
      this.fail(
        new Error(`The subscriber fell ${this.maxQueued} events behind and was dropped; subscribe again`),
      );
      return;
    }
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = null;
      waiting.resolve({ value: record, done: false });
    } else {
      this.#queue.push(record);
    }
    if (isFinalEvent(record)) this.#end();
  }

  #end(): void {
    if (!this.#ended) {
      this.#ended = true;
      this.#pending = null;
      this.onEnd(this);
    }
    const waiting = this.#waiting;
    if (!waiting) return;
    this.#waiting = null;
    if (this.#failure !== null) {
      const failure = this.#failure;
      this.#failure = null;
      waiting.reject(failure);
    } else {
      waiting.resolve({ value: undefined, done: true });
    }
  }
}

import type { Logger } from "../logger";
import { JobInterrupted, type Interruption } from "./job-kind";
import type { JobRecord, Liveness } from "./job-record";

export interface WatchTiming {
  /** How often the row is read for a cancel request. */
  pollMs: number;
  /** How often heartbeatAt is refreshed (a few polls). */
  heartbeatMs: number;
}

/**
 * Keeps a claimed job alive and listens for the end of it: refreshes the heartbeat, polls for a
 * cancel request, and follows the queue's signal (a cancelled queue job, or the queue stopping).
 * `signal` aborts with a JobInterrupted saying which; the tier calls and loops of the job take it.
 */
export class JobWatch {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  #lastHeartbeat = Date.now();
  #ticking = false;

  constructor(
    private readonly record: JobRecord,
    queueSignal: AbortSignal,
    private readonly timing: WatchTiming,
    private readonly logger: Logger,
  ) {
    this.#timer = setInterval(() => void this.#tick(), Math.min(timing.pollMs, timing.heartbeatMs));
    this.#timer.unref();
    const onQueueAbort = () => void this.#queueAborted();
    if (queueSignal.aborted) onQueueAbort();
    else queueSignal.addEventListener("abort", onQueueAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Why the job was interrupted, or null while it runs. */
  get interruption(): Interruption | null {
    const reason: unknown = this.#controller.signal.reason;
    return this.#controller.signal.aborted && reason instanceof JobInterrupted ? reason.kind : null;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  get jobId(): string {
    return this.record.jobId;
  }

  /** A cancel was asked for in this process: stop now rather than at the next poll. */
  cancel(): void {
    this.#interrupt("cancelled");
  }

  /** This process is stopping: the job goes back to the queue (see the handler). */
  handBack(): void {
    this.#interrupt("stopped");
  }

  #interrupt(kind: Interruption): void {
    if (this.#controller.signal.aborted) return;
    this.logger.info({ jobId: this.record.jobId, interruption: kind }, "job interrupted");
    this.#controller.abort(new JobInterrupted(kind));
    this.stop();
  }

  #follow(liveness: Liveness): void {
    if (liveness.cancelRequested) this.#interrupt("cancelled");
    else if (!liveness.owned) this.#interrupt("lost");
  }

  async #tick(): Promise<void> {
    if (this.#ticking || this.#controller.signal.aborted) return;
    this.#ticking = true;
    try {
      const beat = Date.now() - this.#lastHeartbeat >= this.timing.heartbeatMs;
      const liveness = beat ? await this.record.heartbeat() : await this.record.liveness();
      if (beat) this.#lastHeartbeat = Date.now();
      this.#follow(liveness);
    } catch (error) {
      // A database hiccup: the next tick tries again; a long outage makes the job stale and resumable.
      this.logger.warn({ err: error, jobId: this.record.jobId }, "could not refresh the job's heartbeat");
    } finally {
      this.#ticking = false;
    }
  }

  async #queueAborted(): Promise<void> {
    const liveness = await this.record.liveness().catch(() => null);
    if (liveness?.cancelRequested) this.#interrupt("cancelled");
    else this.#interrupt("stopped");
  }
}

import type { JobWatch } from "./job-watch";

/**
 * The jobs this process is running, so that stopping can hand each back to the queue (for
 * another worker to resume) while the queue is still there to take it.
 */
export class RunningJobs {
  readonly #jobs = new Map<JobWatch, Promise<void>>();

  /** Call the returned function when the job's handler is done with it. */
  track(watch: JobWatch): () => void {
    let done!: () => void;
    this.#jobs.set(watch, new Promise<void>((resolve) => (done = resolve)));
    return () => {
      this.#jobs.delete(watch);
      done();
    };
  }

  /** Interrupts the job as cancelled when it runs here. */
  cancel(jobId: string): void {
    for (const watch of this.#jobs.keys()) if (watch.jobId === jobId) watch.cancel();
  }

  get size(): number {
    return this.#jobs.size;
  }

  /** Interrupts every running job and waits (up to `timeoutMs`) until their handlers let go. */
  async handBack(timeoutMs: number): Promise<void> {
    const pending = [...this.#jobs.values()];
    for (const watch of this.#jobs.keys()) watch.handBack();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(pending), timeout]);
    clearTimeout(timer);
  }
}

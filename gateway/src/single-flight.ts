/**
 * One call per key at a time: whoever asks while a call for the same key is running gets its
 * result instead of starting another. Under load, many requests find the same cache entry missing
 * or expired at the same moment; without this each of them would send the same statement to a
 * database that may run one statement at a time.
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, call: () => Promise<T>): Promise<T> {
    const running = this.running.get(key);
    if (running) return running;
    const started = call().finally(() => {
      if (this.running.get(key) === started) this.running.delete(key);
    });
    this.running.set(key, started);
    return started;
  }

  /** The call running for `key`, if any. */
  current(key: string): Promise<T> | undefined {
    return this.running.get(key);
  }

  /** Callers from now on start calls of their own: what is running may predate a change. */
  forget(): void {
    this.running.clear();
  }
}

/**
 * Identical reads share one statement, but never one that started before they were asked for: a
 * read asked for while the same read runs waits for the next one, which starts when the running
 * one ends and answers everyone who asked meanwhile. An answer is never older than its request, so
 * nothing needs invalidating (on this replica or another), and any number of identical concurrent
 * reads costs at most two statements at a time.
 */
export class FreshSingleFlight<T> {
  private readonly running = new SingleFlight<T>();
  private readonly following = new Map<string, Promise<T>>();

  run(key: string, read: () => Promise<T>): Promise<T> {
    const queued = this.following.get(key);
    if (queued) return queued;
    const running = this.running.current(key);
    if (!running) return this.running.run(key, read);
    const next = running
      .catch(() => undefined)
      .then(() => {
        this.following.delete(key);
        return this.running.run(key, read);
      });
    this.following.set(key, next);
    return next;
  }
}

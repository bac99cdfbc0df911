/** The three stages of an embedding run, over batches of type B that embed into E. */
export interface EmbedStages<B, E> {
  /** The batch after `previous` (null: the first); an empty batch ends the run. */
  read(previous: B | null): Promise<B | null>;
  embed(batch: B): Promise<E>;
  /** Called one at a time, in the order the batches were read. */
  store(embedded: E): Promise<void>;
}

/**
 * Runs the stages overlapped: batch k+1 is read and batch k-1 stored while the tier embeds k
 * (and, with `inFlight` 2, the call before it), so the tier never waits for the database or the
 * blob store. Each stage holds at most one batch ahead, so memory stays at a few batches however
 * long the run. On a failure (or `signal`) it waits for every started stage to settle before it
 * throws: nothing of the run still writes after it returned.
 */
export async function runOverlapped<B, E>(
  stages: EmbedStages<B, E>,
  inFlight: number,
  signal?: AbortSignal,
): Promise<void> {
  let nextRead = quiet(stages.read(null));
  let pendingStore: Promise<void> = Promise.resolve();
  const embedding: Array<Promise<E>> = [];
  try {
    let exhausted = false;
    for (;;) {
      while (!exhausted && embedding.length < inFlight) {
        signal?.throwIfAborted();
        const batch = await nextRead;
        if (batch === null) {
          exhausted = true;
          break;
        }
        nextRead = quiet(stages.read(batch));
        embedding.push(quiet(stages.embed(batch)));
      }
      const oldest = embedding.shift();
      if (!oldest) break;
      const embedded = await oldest;
      await pendingStore;
      pendingStore = quiet(stages.store(embedded));
    }
    await pendingStore;
  } finally {
    await Promise.allSettled([nextRead, pendingStore, ...embedding]);
  }
}

/** A promise awaited later: its rejection is handled there, not reported as unhandled meanwhile. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

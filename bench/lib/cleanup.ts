/** Cleanups not run yet: the runner runs them when the bench is interrupted (Ctrl-C). */
const pending = new Set<() => Promise<void>>();

/**
 * Registers `undo` (stop a server, remove a temp folder) and returns a function that runs it
 * once; call that in `finally`. An interrupted bench gets it run by the runner instead.
 */
export function deferCleanup(undo: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | null = null;
  const once = () => {
    pending.delete(once);
    done ??= undo();
    return done;
  };
  pending.add(once);
  return once;
}

/** Runs what is still registered, newest first, and reports failures without stopping. */
export async function runPendingCleanups(): Promise<void> {
  for (const undo of [...pending].reverse()) {
    await undo().catch((error: unknown) => console.error(`cleanup failed: ${(error as Error).message}`));
  }
}

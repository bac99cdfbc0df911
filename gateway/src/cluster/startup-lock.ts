import pg from "pg";

/**
 * Held while a gateway creates what the first start creates (the system user, the first admin,
 * the built-in models): replicas starting at once on an empty database would otherwise both find
 * nothing and both insert, and one would fail on a unique key. The migrations' lock is another key.
 */
const FIRST_START_LOCK_KEY = 7_264_002;

/** Runs `work` while no other process on this database runs its own first-start work. */
export async function withFirstStartLock<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  const lock = new pg.Client({ connectionString: databaseUrl, application_name: "tessera-first-start" });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [FIRST_START_LOCK_KEY]);
    return await work();
  } finally {
    // Ending the session releases the lock, even if unlocking were never reached.
    await lock.end();
  }
}

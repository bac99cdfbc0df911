/**
 * The gateway-wide default limits (TESSERA_QUOTA_*), each null for unlimited. An admin's
 * per-user value (UserQuota) replaces one of them for one user; admins themselves are exempt.
 */
export interface QuotaDefaults {
  /** TESSERA_QUOTA_STORED_BYTES: bytes of distinct blobs a user's objects reference. */
  storedBytes: number | null;
  /** TESSERA_QUOTA_CONCURRENT_JOBS: jobs a user started that are queued or running at once. */
  concurrentJobs: number | null;
  /** TESSERA_QUOTA_EXPENSIVE_PER_MINUTE: uploads, training starts and tier jobs per minute. */
  expensivePerMinute: number | null;
}

/** The largest value each limit takes, from the environment or from setUserQuota. */
export const QUOTA_BOUNDS = {
  storedBytes: Number.MAX_SAFE_INTEGER,
  concurrentJobs: 10_000,
  // The rate's emission interval is ⌊60000 / limit⌋ ms: at least 6 ms keeps it exact.
  expensivePerMinute: 10_000,
} as const satisfies Record<keyof QuotaDefaults, number>;

type Env = Record<string, string | undefined>;

/** `invalid`: config.ts's ConfigError, passed in so this module does not import config.ts back. */
export function quotaDefaults(env: Env, invalid: new (message: string) => Error): QuotaDefaults {
  const limit = (name: string, max: number): number | null => {
    const raw = env[name];
    if (raw === undefined || raw === "") return null;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 0 || value > max) {
      throw new invalid(`${name} must be an integer between 0 (unlimited) and ${max}, got "${raw}"`);
    }
    return value === 0 ? null : value;
  };
  // Unset, empty or 0 → unlimited (null); otherwise an integer from 1 to the bound.
  return {
    storedBytes: limit("TESSERA_QUOTA_STORED_BYTES", QUOTA_BOUNDS.storedBytes),
    concurrentJobs: limit("TESSERA_QUOTA_CONCURRENT_JOBS", QUOTA_BOUNDS.concurrentJobs),
    expensivePerMinute: limit("TESSERA_QUOTA_EXPENSIVE_PER_MINUTE", QUOTA_BOUNDS.expensivePerMinute),
  };
}

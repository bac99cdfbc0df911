import type { SqlRunner } from "./quota-limits";

/** The RateLimitState bucket of expensive operations (uploads, training starts, tier jobs). */
export const EXPENSIVE_BUCKET = "expensive";

/**
 * The generic cell rate algorithm over one row per user and bucket: `tat` (theoretical arrival
 * time) advances by one emission interval T per operation, and an operation is admitted while the
 * advanced tat stays within one window of now. With T = ⌊60000 / limit⌋ ms (whole milliseconds,
 * as tat is stored to the millisecond) and the window limit × T, `limit` operations at once are
 * admitted and the next one is not, for every limit up to 60000; the window is at most a minute
 * (a few ms less when 60000 is not a multiple of the limit). A used slot frees up T after the
 * one before it: the rate is smooth, not a fixed minute that resets.
 */
export function rateShape(limitPerMinute: number): { intervalMs: number; windowMs: number } {
  const intervalMs = Math.floor(60_000 / limitPerMinute);
  return { intervalMs, windowMs: intervalMs * limitPerMinute };
}

export type RateOutcome = { admitted: true } | { admitted: false; retryAfterSeconds: number };

export interface RateState {
  /** Slots of the window in use now (0…limit). */
  used: number;
  /** Seconds until one more operation is admitted; null when one is admitted now. */
  retryAfterSeconds: number | null;
  /** When every slot is free again; null when none is in use. */
  freesAt: Date | null;
}

/**
 * Spends `cells` slots (1 ≤ cells ≤ limit) of the user's bucket in ONE statement, or none when they
 * do not fit: the row lock of INSERT … ON CONFLICT DO UPDATE orders concurrent spends from every
 * replica, and each re-checks the fit against the row it then sees. Time is the database's
 * truncated to the millisecond like tat (`at` replaces it in tests), so replicas with drifting clocks agree.
 */
export async function spendExpensive(
  db: SqlRunner,
  userId: string,
  cells: number,
  limitPerMinute: number,
  at: Date | null = null,
): Promise<RateOutcome> {
  const { intervalMs, windowMs } = rateShape(limitPerMinute);
  const increment = cells * intervalMs;
  const rows = await db.$queryRaw<Array<{ tat: Date }>>`
    WITH clock AS (SELECT COALESCE(${at}::timestamptz, date_trunc('milliseconds', statement_timestamp())) AS now)
    INSERT INTO "RateLimitState" ("userId", "bucket", "tat")
    SELECT ${userId}::uuid, ${EXPENSIVE_BUCKET}, clock.now + make_interval(secs => ${increment / 1000}) FROM clock
    ON CONFLICT ("userId", "bucket") DO UPDATE
      SET "tat" = GREATEST("RateLimitState"."tat", (SELECT now FROM clock)) + make_interval(secs => ${increment / 1000})
      WHERE GREATEST("RateLimitState"."tat", (SELECT now FROM clock)) + make_interval(secs => ${increment / 1000})
        <= (SELECT now FROM clock) + make_interval(secs => ${windowMs / 1000})
    RETURNING "tat"`;
  if (rows.length > 0) return { admitted: true };
  // Refused: the statement changed nothing. How long until the spend fits, from the row as it is now.
  const state = await rateState(db, userId, at);
  const waitMs = state.tatMs + increment - windowMs - state.nowMs;
  return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/** The user's bucket as `me { usage }` shows it; reads only. */
export async function expensiveRateState(
  db: SqlRunner,
  userId: string,
  limitPerMinute: number | null,
  at: Date | null = null,
): Promise<RateState> {
  if (limitPerMinute === null) return { used: 0, retryAfterSeconds: null, freesAt: null };
  const { intervalMs, windowMs } = rateShape(limitPerMinute);
  const { tatMs, nowMs } = await rateState(db, userId, at);
  const aheadMs = tatMs - nowMs;
  if (aheadMs <= 0) return { used: 0, retryAfterSeconds: null, freesAt: null };
  const waitMs = aheadMs + intervalMs - windowMs;
  return {
    used: Math.min(limitPerMinute, Math.ceil(aheadMs / intervalMs)),
    retryAfterSeconds: waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : null,
    freesAt: new Date(tatMs),
  };
}

async function rateState(
  db: SqlRunner,
  userId: string,
  at: Date | null,
): Promise<{ tatMs: number; nowMs: number }> {
  const rows = await db.$queryRaw<Array<{ tat: Date | null; now: Date }>>`
    WITH clock AS (SELECT COALESCE(${at}::timestamptz, date_trunc('milliseconds', statement_timestamp())) AS now)
    SELECT (SELECT "tat" FROM "RateLimitState" WHERE "userId" = ${userId}::uuid AND "bucket" = ${EXPENSIVE_BUCKET}) AS tat,
      clock.now AS now FROM clock`;
  const row = rows[0]!;
  return { tatMs: row.tat?.getTime() ?? 0, nowMs: row.now.getTime() };
}

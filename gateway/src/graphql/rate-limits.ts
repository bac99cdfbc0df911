import type { RateLimit, RateLimits } from "../config";
import type { Viewer } from "../users/access";
import type { RateLimitClass } from "./field-costs";

export type RateLimitOutcome =
  | { allowed: true }
  /** The bucket refills enough for this operation after `retryAfterSeconds`. */
  | { allowed: false; bucket: RateLimitClass; retryAfterSeconds: number }
  /** More than the bucket ever holds: waiting cannot help. */
  | { allowed: false; bucket: RateLimitClass; needed: number; burst: number; retryAfterSeconds: null };

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * The most buckets kept (one per caller and class); past it the least recently used one is
 * dropped. A dropped caller comes back to a full bucket. That is what the bucket would hold anyway
 * for a caller idle long enough to have refilled (burst ÷ rate: 12–20 s with the defaults), and
 * only such long-idle callers are the least recently used in practice: pushing out a bucket in
 * use takes this many operations from other callers since its last use, far more work than the
 * burst a caller would win back by arranging it.
 */
export const MAX_TRACKED_BUCKETS = 10_000;

/**
 * Token buckets per caller and class, in this process's memory. Each replica of the gateway keeps
 * its own, so N replicas allow N times the limit; a later issue moves quotas into PostgreSQL so
 * replicas share them. Hand-written rather than taken from a library: one operation spends from
 * several buckets at once, all or nothing, and must say when it could run (Retry-After).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Spends `needs` from the caller's buckets when every one of them holds enough; otherwise spends nothing. */
  take(caller: string, needs: Partial<Record<RateLimitClass, number>>): RateLimitOutcome {
    const now = this.now();
    const spends: Array<[Bucket, number]> = [];
    for (const [bucketName, needed = 0] of Object.entries(needs) as Array<[RateLimitClass, number]>) {
      const limit = this.limits[bucketName];
      if (needed === 0 || limit.perMinute === 0) continue;
      if (needed > limit.burst) {
        return { allowed: false, bucket: bucketName, needed, burst: limit.burst, retryAfterSeconds: null };
      }
      const bucket = this.refilled(`${bucketName}:${caller}`, limit, now);
      if (bucket.tokens < needed) {
        const seconds = ((needed - bucket.tokens) * 60) / limit.perMinute;
        return { allowed: false, bucket: bucketName, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
      }
      spends.push([bucket, needed]);
    }
    for (const [bucket, needed] of spends) bucket.tokens -= needed;
    return { allowed: true };
  }

  /** The map's order is the order of last use (a used bucket is moved to the end): an LRU. */
  private refilled(key: string, limit: RateLimit, now: number): Bucket {
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, refilledAt: now };
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > MAX_TRACKED_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
    const earned = ((now - bucket.refilledAt) * limit.perMinute) / 60_000;
    bucket.tokens = Math.min(limit.burst, bucket.tokens + earned);
    bucket.refilledAt = now;
    return bucket;
  }
}

/**
 * Whom an operation's rate limits charge: the signed-in user, whichever of their tokens they use
 * (a user can mint tokens, so a bucket per token would multiply their limit), else the client's
 * address.
 */
export function rateLimitKey(viewer: Viewer | null, address: string | undefined): string {
  return viewer ? `user:${viewer.id}` : `address:${address ?? "unknown"}`;
}

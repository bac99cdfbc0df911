import type { RateLimit, RateLimits } from "../config";
import { bearerToken, hashToken } from "../users/tokens";
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

/** Above this many callers, buckets that have refilled completely are dropped (they equal a new one). */
const MAX_TRACKED_CALLERS = 10_000;

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

  private refilled(key: string, limit: RateLimit, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED_CALLERS) this.dropFullBuckets(now);
      bucket = { tokens: limit.burst, refilledAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const earned = ((now - bucket.refilledAt) * limit.perMinute) / 60_000;
    bucket.tokens = Math.min(limit.burst, bucket.tokens + earned);
    bucket.refilledAt = now;
    return bucket;
  }

  private dropFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const limit = this.limits[key.slice(0, key.indexOf(":")) as RateLimitClass];
      if (bucket.tokens + ((now - bucket.refilledAt) * limit.perMinute) / 60_000 >= limit.burst) {
        this.buckets.delete(key);
      }
    }
  }
}

/**
 * Whom an operation's rate limits charge: the API token it signed in with (by hash, so no secret
 * is kept in memory), else the client's address.
 */
export function rateLimitKey(
  viewer: Viewer | null,
  authorization: string | undefined,
  address: string | undefined,
): string {
  const token = viewer ? bearerToken(authorization) : null;
  return token ? `token:${hashToken(token)}` : `address:${address ?? "unknown"}`;
}

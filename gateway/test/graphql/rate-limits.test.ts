import { describe, expect, it } from "vitest";
import type { RateLimits } from "../../src/config";
import { MAX_TRACKED_BUCKETS, RateLimiter } from "../../src/graphql/rate-limits";

const limits: RateLimits = {
  inference: { perMinute: 60, burst: 5 },
  uploads: { perMinute: 6, burst: 1 },
  trainingStarts: { perMinute: 0, burst: 1 },
};

function limiterAt(start = 0) {
  const clock = { now: start };
  return { clock, limiter: new RateLimiter(limits, () => clock.now) };
}

describe("RateLimiter", () => {
  it("lets a burst through, then refills at the configured rate", () => {
    const { clock, limiter } = limiterAt();
    expect(limiter.take("ada", { inference: 5 })).toEqual({ allowed: true });
    expect(limiter.take("ada", { inference: 1 })).toEqual({
      allowed: false,
      bucket: "inference",
      retryAfterSeconds: 1,
    });
    clock.now += 2_000;
    expect(limiter.take("ada", { inference: 2 })).toEqual({ allowed: true });
    expect(limiter.take("ada", { inference: 1 })).toMatchObject({ allowed: false });
  });

  it("says how long until the whole operation fits, rounded up to whole seconds", () => {
    const { clock, limiter } = limiterAt();
    limiter.take("ada", { inference: 5 });
    clock.now += 500;
    expect(limiter.take("ada", { inference: 4 })).toMatchObject({ retryAfterSeconds: 4 });
    expect(limiter.take("ada", { uploads: 1 })).toEqual({ allowed: true });
    expect(limiter.take("ada", { uploads: 1 })).toMatchObject({ bucket: "uploads", retryAfterSeconds: 10 });
  });

  it("spends from every bucket or from none", () => {
    const { limiter } = limiterAt();
    limiter.take("ada", { uploads: 1 });
    expect(limiter.take("ada", { inference: 3, uploads: 1 })).toMatchObject({
      allowed: false,
      bucket: "uploads",
    });
    // The refused operation spent no inference token: the whole burst is still there.
    expect(limiter.take("ada", { inference: 5 })).toEqual({ allowed: true });
  });

  it("keeps callers apart", () => {
    const { limiter } = limiterAt();
    limiter.take("ada", { inference: 5 });
    expect(limiter.take("bob", { inference: 5 })).toEqual({ allowed: true });
  });

  it("never allows more than the burst at once, whatever the wait", () => {
    const { limiter } = limiterAt();
    expect(limiter.take("ada", { inference: 6 })).toEqual({
      allowed: false,
      bucket: "inference",
      needed: 6,
      burst: 5,
      retryAfterSeconds: null,
    });
  });

  it("treats a rate of 0 as unlimited", () => {
    const { limiter } = limiterAt();
    for (let i = 0; i < 1000; i++)
      expect(limiter.take("ada", { trainingStarts: 50 })).toEqual({ allowed: true });
  });

  it("keeps at most MAX_TRACKED_BUCKETS buckets, dropping the least recently used", () => {
    const { limiter } = limiterAt();
    const buckets = (limiter as unknown as { buckets: Map<string, unknown> }).buckets;
    for (let i = 0; i < MAX_TRACKED_BUCKETS; i++) limiter.take(`caller-${i}`, { inference: 1 });
    // caller-0 is used again, so caller-1 is now the one unused the longest.
    limiter.take("caller-0", { inference: 1 });

    // No time passed: no bucket is full again, yet the newcomer gets one without the map growing.
    expect(limiter.take("newcomer", { inference: 1 })).toEqual({ allowed: true });
    expect(buckets.size).toBe(MAX_TRACKED_BUCKETS);
    // caller-0 kept its spent bucket (3 of 5 left); caller-1 was dropped and starts from a full one.
    expect(limiter.take("caller-0", { inference: 4 })).toMatchObject({ allowed: false });
    expect(limiter.take("caller-1", { inference: 5 })).toEqual({ allowed: true });
    expect(buckets.size).toBe(MAX_TRACKED_BUCKETS);
  });
});

import { describe, expect, it } from "vitest";
import type { RateLimits } from "../../src/config";
import { RateLimiter } from "../../src/graphql/rate-limits";

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

  it("forgets callers whose buckets are full again once it tracks many", () => {
    const { clock, limiter } = limiterAt();
    for (let i = 0; i < 10_000; i++) limiter.take(`caller-${i}`, { inference: 1 });
    clock.now += 60_000;
    limiter.take("newcomer", { inference: 1 });
    // caller-0 was dropped with a full bucket, so it starts again from a full one.
    expect(limiter.take("caller-0", { inference: 5 })).toEqual({ allowed: true });
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(2);
  });
});

import "reflect-metadata";
import { describe, expect, it } from "vitest";
import {
  bucketOf,
  emptyHistogram,
  LATENCY_BOUNDS_MS,
  percentile,
} from "../../../src/serving/analytics/latency-histogram";
import { addOutcome, emptyMinute } from "../../../src/serving/analytics/serving-minute";
import { seriesRange, summarize } from "../../../src/serving/analytics/serving-analytics.service";
import { AnalyticsWindow } from "../../../src/serving/serving.types";
import type { ScoreRequest, Scored } from "../../../src/serving/scorer";
import { Scoring, type ScoreOutcome } from "../../../src/serving/scoring";

const scored = (overrides: Partial<Scored> = {}): Scored => ({
  scores: [],
  latencyMs: 3,
  servedBy: "tier:127.0.0.1:8001",
  cached: false,
  degraded: false,
  members: null,
  usedFallback: false,
  timings: { queueMs: 0.4, computeMs: 7, batchSize: 4 },
  ...overrides,
});

/** A stored row as the recorder writes it, for `minute`. */
function row(minute: number, fill: (stats: ReturnType<typeof emptyMinute>) => void) {
  const stats = emptyMinute();
  fill(stats);
  return { minute: new Date(minute), ...stats };
}

describe("latency histograms", () => {
  it("put a latency in the first bucket whose upper bound holds it, past the last in the overflow", () => {
    expect([0, 1, 1.01, 2, 49, 50, 50.5, 60_000, 60_001].map(bucketOf)).toEqual([
      0, 0, 1, 1, 5, 5, 6, 14, 15,
    ]);
    expect(emptyHistogram()).toHaveLength(LATENCY_BOUNDS_MS.length + 1);
  });

  it("answer percentiles as the upper bound of the bucket holding the rank", () => {
    const histogram = emptyHistogram();
    // 90 requests ≤ 5 ms, 9 in (50, 100], 1 in the overflow bucket.
    histogram[2] = 90;
    histogram[6] = 9;
    histogram[15] = 1;
    expect(percentile(histogram, 0.5)).toBe(5);
    expect(percentile(histogram, 0.9)).toBe(5);
    expect(percentile(histogram, 0.95)).toBe(100);
    expect(percentile(histogram, 0.99)).toBe(100);
    expect(percentile(histogram, 1)).toBe(60_000);
    expect(percentile(emptyHistogram(), 0.5)).toBeNull();
  });
});

describe("a minute of serving", () => {
  it("counts requests, errors, cache use, fallbacks and where each was served", () => {
    const minute = emptyMinute();
    addOutcome(minute, { scored: scored(), gatewayMs: 12, cacheLookup: true });
    addOutcome(minute, {
      scored: scored({ cached: true, servedBy: "cache", timings: null }),
      gatewayMs: 0.5,
      cacheLookup: true,
    });
    addOutcome(minute, {
      scored: scored({
        servedBy: "ensemble",
        members: [],
        usedFallback: true,
        degraded: true,
        timings: null,
      }),
      gatewayMs: 40,
      cacheLookup: false,
    });
    // useCache: false — neither a hit nor a miss, as the cache and /metrics count it.
    addOutcome(minute, { scored: scored(), gatewayMs: 9, cacheLookup: false });
    addOutcome(minute, { errorCode: "SERVICE_UNAVAILABLE", gatewayMs: 30_000 });
    // A lookup that missed before the tier failed.
    addOutcome(minute, { errorCode: "SERVICE_UNAVAILABLE", gatewayMs: 20, cacheLookup: true });
    expect(minute).toMatchObject({
      requests: 6,
      errors: { SERVICE_UNAVAILABLE: 2 },
      cacheHits: 1,
      // The lookup that found nothing and the failed one; not the bypass nor the ensemble's own answer.
      cacheMisses: 2,
      fallbacks: 1,
      degraded: 1,
      servedBy: { "tier:127.0.0.1:8001": 2, cache: 1, ensemble: 1 },
      batchSizes: { "4": 2 },
    });
    expect(minute.latency.gateway.reduce((a, b) => a + b)).toBe(6);
    expect(minute.latency.queue[bucketOf(0.4)]).toBe(2);
    expect(minute.latency.compute[bucketOf(7)]).toBe(2);
  });
});

describe("a window's analytics", () => {
  const to = Date.UTC(2026, 11, 7, 10, 14, 30);
  const { from, steps, stepMs } = seriesRange(AnalyticsWindow.LAST_15_MINUTES, to);

  it("span 15 one-minute buckets ending with the current minute", () => {
    expect(new Date(from).toISOString()).toBe("2026-12-07T10:00:00.000Z");
    expect([steps, stepMs]).toEqual([15, 60_000]);
    const day = seriesRange(AnalyticsWindow.LAST_DAY, to);
    expect([day.steps, day.stepMs, new Date(day.from).toISOString()]).toEqual([
      96,
      15 * 60_000,
      "2026-12-06T10:15:00.000Z",
    ]);
  });

  it("sum every replica's rows into totals, merged-histogram percentiles and the series", () => {
    const rows = [
      // Two replicas flushed the same minute; a third row is older than the window.
      row(from, (s) => {
        for (let i = 0; i < 3; i++) addOutcome(s, { scored: scored(), gatewayMs: 8, cacheLookup: true });
      }),
      row(from, (s) => {
        addOutcome(s, { scored: scored({ cached: true, servedBy: "cache", timings: null }), gatewayMs: 1 });
        addOutcome(s, { errorCode: "RATE_LIMITED", gatewayMs: 2 });
      }),
      row(from + 14 * 60_000, (s) =>
        addOutcome(s, { scored: scored({ usedFallback: true }), gatewayMs: 150, cacheLookup: true }),
      ),
      row(from - 60_000, (s) => addOutcome(s, { errorCode: "INTERNAL_SERVER_ERROR", gatewayMs: 1 })),
    ];
    const analytics = summarize(AnalyticsWindow.LAST_15_MINUTES, from, to, stepMs, steps, rows);
    expect(analytics).toMatchObject({
      requests: 6,
      errors: [{ key: "RATE_LIMITED", count: 1 }],
      cacheHits: 1,
      cacheMisses: 4,
      cacheHitRate: 0.2,
      // 1 of the 5 answered requests.
      fallbackRate: 0.2,
      servedBy: [
        { key: "tier:127.0.0.1:8001", count: 4 },
        { key: "cache", count: 1 },
      ],
      batchSizes: [{ key: "4", count: 4 }],
      latency: {
        // Gateway: 1, 2, 8, 8, 8, 150 ms → buckets 1, 2, 10, 10, 10, 200.
        gateway: { p50: 10, p95: 200, p99: 200 },
        queue: { p50: 1, p95: 1, p99: 1 },
        compute: { p50: 10, p95: 10, p99: 10 },
      },
    });
    expect(analytics.series).toHaveLength(15);
    expect(analytics.series[0]).toMatchObject({ requests: 5, errors: 1, p95: 10 });
    expect(analytics.series[14]).toMatchObject({ requests: 1, errors: 0, p95: 200 });
    expect(analytics.series.slice(1, 14).every((point) => point.requests === 0 && point.p95 === null)).toBe(
      true,
    );
  });
});

describe("what Scoring tells its recorder", () => {
  it("says whether the cache was looked up and whether an ensemble member was scored", async () => {
    const scoring = new Scoring(null as never, null as never);
    const answer = scored();
    scoring.use("TIER", { score: async () => answer });
    scoring.use("ENSEMBLE", { score: async () => scored({ servedBy: "ensemble", members: [] }) });
    scoring.useCache({ get: () => undefined, set: () => undefined });
    const seen: ScoreOutcome[] = [];
    scoring.useRecorder({ record: (_id, outcome) => seen.push(outcome) });
    const request = (kind: "TIER" | "ENSEMBLE", extra: Partial<ScoreRequest> = {}): ScoreRequest => ({
      viewer: null,
      versionId: "v",
      target: { kind } as ScoreRequest["target"],
      image: Buffer.alloc(0),
      imageSha256: "0",
      useCache: true,
      ...extra,
    });
    await scoring.score(request("TIER"));
    await scoring.score(request("TIER", { useCache: false }));
    await scoring.score(request("TIER", { member: true }));
    await scoring.score(request("ENSEMBLE"));
    expect(seen.map((o) => [o.cacheLookup, o.member])).toEqual([
      [true, false],
      [false, false],
      [true, true],
      [false, false],
    ]);
  });
});

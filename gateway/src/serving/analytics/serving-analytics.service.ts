import type { PrismaClient } from "../../generated/prisma/client";
import { AnalyticsWindow, type KeyCount, type ServingAnalytics } from "../serving.types";
import { percentile, type Histogram } from "./latency-histogram";
import { addRow, emptyMinute, errorCount, type ServingMinute, type StoredMinute } from "./serving-minute";
import type { ServingStatsRecorder } from "./serving-stats-recorder";

const MINUTE_MS = 60_000;

/** Each window's length and the step of its series (15, 60, 96 and 168 points). */
export const WINDOWS: Record<AnalyticsWindow, { ms: number; stepMs: number }> = {
  [AnalyticsWindow.LAST_15_MINUTES]: { ms: 15 * MINUTE_MS, stepMs: MINUTE_MS },
  [AnalyticsWindow.LAST_HOUR]: { ms: 60 * MINUTE_MS, stepMs: MINUTE_MS },
  [AnalyticsWindow.LAST_DAY]: { ms: 24 * 60 * MINUTE_MS, stepMs: 15 * MINUTE_MS },
  [AnalyticsWindow.LAST_WEEK]: { ms: 7 * 24 * 60 * MINUTE_MS, stepMs: 60 * MINUTE_MS },
};

interface StatRow extends StoredMinute {
  minute: Date;
}

/** Reads what a version served over a window, summing the rows of every replica. */
export class ServingAnalyticsService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly recorder: ServingStatsRecorder,
    private readonly now: () => number = Date.now,
  ) {}

  async read(versionId: string, window: AnalyticsWindow): Promise<ServingAnalytics> {
    const to = this.now();
    const { from, steps, stepMs } = seriesRange(window, to);
    // Stored rows plus this replica's minutes still in memory (read, not written: reading adds no
    // rows); other replicas write each minute once it has ended.
    const rows: StatRow[] = await this.recorder.between(async () => [
      ...(await this.prisma.servingStat.findMany({
        where: { modelVersionId: versionId, minute: { gte: new Date(from) } },
        select: {
          minute: true,
          requests: true,
          errors: true,
          cacheHits: true,
          cacheMisses: true,
          fallbacks: true,
          degraded: true,
          servedBy: true,
          latency: true,
          batchSizes: true,
        },
      })),
      ...this.recorder.pendingRows(versionId, from),
    ]);
    return summarize(window, from, to, stepMs, steps, rows);
  }
}

/** The window's series buckets: `steps` of `stepMs`, aligned to the step, the last holding `to`. */
export function seriesRange(window: AnalyticsWindow, to: number) {
  const { ms, stepMs } = WINDOWS[window];
  const steps = ms / stepMs;
  const last = Math.floor(to / stepMs) * stepMs;
  return { from: last - (steps - 1) * stepMs, steps, stepMs };
}

/** Sums rows into the window's totals and series; pure, for tests on known rows. */
export function summarize(
  window: AnalyticsWindow,
  from: number,
  to: number,
  stepMs: number,
  steps: number,
  rows: readonly StatRow[],
): ServingAnalytics {
  const total = emptyMinute();
  const buckets = Array.from({ length: steps }, () => emptyMinute());
  for (const row of rows) {
    const index = Math.floor((row.minute.getTime() - from) / stepMs);
    if (index < 0 || index >= steps) continue;
    addRow(total, row);
    addRow(buckets[index]!, row);
  }
  const lookups = total.cacheHits + total.cacheMisses;
  const answered = total.requests - errorCount(total);
  return {
    window,
    from: new Date(from),
    to: new Date(to),
    requests: total.requests,
    errors: keyCounts(total.errors),
    latency: {
      gateway: percentiles(total.latency.gateway),
      queue: percentiles(total.latency.queue),
      compute: percentiles(total.latency.compute),
    },
    batchSizes: Object.entries(total.batchSizes)
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => Number(a.key) - Number(b.key)),
    cacheHits: total.cacheHits,
    cacheMisses: total.cacheMisses,
    cacheHitRate: lookups > 0 ? total.cacheHits / lookups : null,
    fallbackRate: answered > 0 ? total.fallbacks / answered : null,
    degraded: total.degraded,
    servedBy: keyCounts(total.servedBy),
    series: buckets.map((bucket: ServingMinute, index) => ({
      at: new Date(from + index * stepMs),
      requests: bucket.requests,
      errors: errorCount(bucket),
      p95: percentile(bucket.latency.gateway, 0.95),
    })),
  };
}

const percentiles = (histogram: Histogram) => ({
  p50: percentile(histogram, 0.5),
  p95: percentile(histogram, 0.95),
  p99: percentile(histogram, 0.99),
});

/** Most first, ties by key, for a stable order. */
function keyCounts(counts: Record<string, number>): KeyCount[] {
  return Object.entries(counts)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

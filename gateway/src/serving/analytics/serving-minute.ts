import type { ScoreOutcome } from "../scoring";
import { emptyHistogram, mergeInto, observe, type Histogram } from "./latency-histogram";

export const STAGES = ["gateway", "queue", "compute"] as const;
export type Stage = (typeof STAGES)[number];

/** What one version served in one minute, as a ServingStat row holds it (JSON columns as objects). */
export interface ServingMinute {
  requests: number;
  errors: Record<string, number>;
  cacheHits: number;
  cacheMisses: number;
  fallbacks: number;
  degraded: number;
  servedBy: Record<string, number>;
  latency: Record<Stage, Histogram>;
  batchSizes: Record<string, number>;
}

export function emptyMinute(): ServingMinute {
  return {
    requests: 0,
    errors: {},
    cacheHits: 0,
    cacheMisses: 0,
    fallbacks: 0,
    degraded: 0,
    servedBy: {},
    latency: { gateway: emptyHistogram(), queue: emptyHistogram(), compute: emptyHistogram() },
    batchSizes: {},
  };
}

const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/**
 * Adds one scoring. Queue, compute and batch size come from the tier's timings, so only answers a
 * tier computed have them; a cache miss is a lookup that found nothing, as the prediction cache
 * and /metrics count it (a failed request included): requests that bypass the cache (useCache:
 * false), ensembles' own answers (their members are cached) and detections are neither.
 */
export function addOutcome(minute: ServingMinute, outcome: ScoreOutcome): void {
  minute.requests += 1;
  observe(minute.latency.gateway, outcome.gatewayMs);
  if ("errorCode" in outcome) {
    // The lookup found nothing before the source failed: the cache counted that miss too.
    if (outcome.cacheLookup) minute.cacheMisses += 1;
    return bump(minute.errors, outcome.errorCode);
  }
  const { scored } = outcome;
  if (scored.cached) minute.cacheHits += 1;
  else if (outcome.cacheLookup) minute.cacheMisses += 1;
  if (scored.usedFallback) minute.fallbacks += 1;
  if (scored.degraded) minute.degraded += 1;
  bump(minute.servedBy, scored.servedBy);
  if (scored.timings && !scored.cached) {
    observe(minute.latency.queue, scored.timings.queueMs);
    observe(minute.latency.compute, scored.timings.computeMs);
    bump(minute.batchSizes, String(scored.timings.batchSize));
  }
}

/** A stored minute's counts, JSON columns as Prisma returns them. */
export interface StoredMinute {
  requests: number;
  errors: unknown;
  cacheHits: number;
  cacheMisses: number;
  fallbacks: number;
  degraded: number;
  servedBy: unknown;
  latency: unknown;
  batchSizes: unknown;
}

/** A stored row added into `target`. */
export function addRow(target: ServingMinute, row: StoredMinute): void {
  target.requests += row.requests;
  target.cacheHits += row.cacheHits;
  target.cacheMisses += row.cacheMisses;
  target.fallbacks += row.fallbacks;
  target.degraded += row.degraded;
  addCounts(target.errors, row.errors);
  addCounts(target.servedBy, row.servedBy);
  addCounts(target.batchSizes, row.batchSizes);
  const latency = isRecord(row.latency) ? row.latency : {};
  for (const stage of STAGES) {
    const stored = latency[stage];
    if (Array.isArray(stored)) mergeInto(target.latency[stage], stored);
  }
}

export const errorCount = (minute: ServingMinute) =>
  Object.values(minute.errors).reduce((sum, count) => sum + count, 0);

function addCounts(target: Record<string, number>, source: unknown): void {
  if (!isRecord(source)) return;
  for (const [key, count] of Object.entries(source)) {
    if (typeof count === "number" && Number.isFinite(count)) bump(target, key, count);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

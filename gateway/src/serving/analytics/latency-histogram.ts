/**
 * Fixed latency buckets (ms, upper bounds), the same on every replica and in every stored row, so
 * histograms merge by adding counts. A last bucket counts what took longer than the last bound.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000,
];

/** Counts per bucket: LATENCY_BOUNDS_MS.length + 1 entries (the last one: over every bound). */
export type Histogram = number[];

export const emptyHistogram = (): Histogram => new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);

/** The bucket `ms` falls in: the first whose upper bound is at least `ms`. */
export function bucketOf(ms: number): number {
  const index = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return index === -1 ? LATENCY_BOUNDS_MS.length : index;
}

export function observe(histogram: Histogram, ms: number): void {
  histogram[bucketOf(ms)]! += 1;
}

/** Adds `source` into `target` bucket by bucket (a stored row of another length adds what both have). */
export function mergeInto(target: Histogram, source: readonly unknown[]): void {
  const length = Math.min(target.length, source.length);
  for (let i = 0; i < length; i++) {
    const count = source[i];
    if (typeof count === "number" && Number.isFinite(count)) target[i]! += count;
  }
}

/**
 * The `p` quantile (0 < p ≤ 1) as the upper bound of the bucket holding it — an upper estimate,
 * exact only to the bucket; what is past the last bound reports the last bound. Null when empty.
 */
export function percentile(histogram: Histogram, p: number): number | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= rank) return LATENCY_BOUNDS_MS[Math.min(i, LATENCY_BOUNDS_MS.length - 1)]!;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
}

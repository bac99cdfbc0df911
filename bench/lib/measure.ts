/** Seconds elapsed since `start` (a `process.hrtime.bigint()` reading). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Runs `work` once and reports how long it took on the monotonic clock. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { value, seconds: secondsSince(start) };
}

/** Nearest-rank percentile (p in 0..100) of values sorted ascending; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface Latencies {
  p50: number;
  p95: number;
  p99: number;
}

export function latencies(millis: readonly number[]): Latencies {
  const sorted = [...millis].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

export interface LoadOptions {
  /** Requests in flight at once: each client sends its next request when the previous answers. */
  clients: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  latencyMs: Latencies;
  /** The slowest request, in ms. */
  maxMs: number;
}

/**
 * Closed-loop load: `clients` loops call `request` until the duration is up. Every request that
 * starts also finishes inside the measured time, so counters read before and after a run cover
 * exactly `requests` requests.
 */
export async function runLoad(options: LoadOptions, request: () => Promise<void>): Promise<LoadResult> {
  const millis: number[] = [];
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(options.durationMs) * 1_000_000n;
  const client = async () => {
    while (process.hrtime.bigint() < deadline) {
      const sent = process.hrtime.bigint();
      await request();
      millis.push(Number(process.hrtime.bigint() - sent) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  const seconds = secondsSince(start);
  return {
    requests: millis.length,
    seconds,
    perSecond: millis.length / seconds,
    latencyMs: latencies(millis),
    maxMs: Math.max(...millis),
  };
}

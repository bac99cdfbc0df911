/**
 * What the prediction cache (serving/cache) tells `/metrics`: cumulative counts since start, read
 * at every scrape. The cache implements it and server.ts hands it to
 * `GatewayMetrics.usePredictionCache(cache)`; metrics never reach into the cache otherwise.
 */
export interface PredictionCacheCounters {
  /** Lookups answered from the cache. */
  readonly hits: number;
  /** Lookups that found nothing (requests that bypass the cache are neither). */
  readonly misses: number;
  /** Entries held now. */
  readonly entries: number;
  /** Bytes held now (the cache's own estimate, as it bounds itself). */
  readonly bytes: number;
}

export const ada = { __typename: "User", id: "u-1", handle: "ada" };

const percentiles = (p50: number | null, p95: number | null, p99: number | null) => ({
  __typename: "Percentiles",
  p50,
  p95,
  p99,
});

const keyCount = (key: string, count: number) => ({ __typename: "KeyCount", key, count });

/** Ten requests in two buckets: two failed, four from the cache, one answered by a fallback. */
export const analytics = {
  __typename: "ServingAnalytics",
  window: "LAST_HOUR",
  from: "2026-12-07T08:00:00.000Z",
  to: "2026-12-07T09:00:00.000Z",
  requests: 10,
  errors: [keyCount("SERVICE_UNAVAILABLE", 2)],
  latency: {
    __typename: "StageLatency",
    gateway: percentiles(20, 100, 500),
    queue: percentiles(1, 5, 10),
    compute: percentiles(null, null, null),
  },
  batchSizes: [keyCount("4", 3), keyCount("1", 5), keyCount("16", 1)],
  cacheHits: 4,
  cacheMisses: 6,
  cacheHitRate: 0.4,
  fallbackRate: 0.1,
  degraded: 1,
  servedBy: [keyCount("tier:127.0.0.1:50051", 5), keyCount("cache", 4), keyCount("ensemble", 1)],
  series: [
    { __typename: "AnalyticsPoint", at: "2026-12-07T08:00:00.000Z", requests: 6, errors: 2, p95: 100 },
    { __typename: "AnalyticsPoint", at: "2026-12-07T08:30:00.000Z", requests: 4, errors: 0, p95: null },
  ],
};

export const deployment = (versionId: string, slug: string) => ({
  __typename: "Deployment",
  id: `d-${versionId}`,
  state: "READY",
  modelVersion: {
    __typename: "ModelVersion",
    id: versionId,
    version: "v1",
    model: { __typename: "Model", id: `m-${slug}`, slug, owner: ada },
  },
});

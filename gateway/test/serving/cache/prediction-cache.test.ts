import { describe, expect, it } from "vitest";
import type { DeploymentConfig } from "../../../src/inference/deployments.types";
import type { ServingTarget } from "../../../src/inference/serving-targets";
import { canonicalJson, predictionKey } from "../../../src/serving/cache/cache-key";
import { entryBytes } from "../../../src/serving/cache/entry-size";
import {
  PredictionCache,
  REMEMBERED_INVALIDATIONS,
  REMOTE_ANSWER_TTL_MS,
} from "../../../src/serving/cache/prediction-cache";
import type { ScoreRequest, Scored, ScoreRow } from "../../../src/serving/scorer";
import { Scoring } from "../../../src/serving/scoring";
import type { TierClient } from "../../../src/tier/tier-client";
import type { DeploymentsService } from "../../../src/inference/deployments.service";

const PREPROCESSING = { width: 8, height: 8, mean: [0, 0, 0], std: [1, 1, 1] };

function target(overrides: Partial<ServingTarget> = {}): ServingTarget {
  return {
    kind: "TIER",
    modelId: "model-a",
    deploymentId: "deployment-1",
    tierModelName: "admin.colours",
    tierModelVersion: "1",
    config: { task: "CLASSIFICATION", preprocessing: PREPROCESSING } as unknown as DeploymentConfig,
    labels: ["red", "green", "blue"],
    ...overrides,
  };
}

function request(overrides: Partial<ScoreRequest> = {}): ScoreRequest {
  return {
    viewer: null,
    versionId: "version-1",
    target: target(),
    image: Buffer.alloc(0),
    imageSha256: "a".repeat(64),
    useCache: true,
    ...overrides,
  };
}

function answer(scores: ScoreRow[], extra: Partial<Scored> = {}): Scored {
  return {
    scores,
    latencyMs: 12.5,
    servedBy: "tier:127.0.0.1:8001",
    cached: false,
    degraded: false,
    members: null,
    usedFallback: false,
    timings: { queueMs: 1, computeMs: 10, batchSize: 1 },
    ...extra,
  };
}

const SCORES: ScoreRow[] = [
  { label: "blue", score: 0.9, index: 2 },
  { label: "red", score: 0.06, index: 0 },
  { label: "green", score: 0.04, index: 1 },
];

/** A miss then a fill, as Scoring does for a request that found nothing. */
function fill(cache: PredictionCache, req: ScoreRequest, scored = answer(SCORES)): void {
  expect(cache.get(req)).toBeUndefined();
  cache.set(req, scored);
}

describe("prediction cache keys", () => {
  it("keys on the image, the version, the deployment and the deployment's config", () => {
    const base = predictionKey(request());
    expect(predictionKey(request())).toBe(base);
    expect(predictionKey(request({ imageSha256: "b".repeat(64) }))).not.toBe(base);
    expect(predictionKey(request({ versionId: "version-2" }))).not.toBe(base);
    expect(predictionKey(request({ target: target({ deploymentId: "deployment-2" }) }))).not.toBe(base);
    const otherMean = { ...PREPROCESSING, mean: [0.485, 0.456, 0.406] };
    const redeployed = target({ config: { task: "CLASSIFICATION", preprocessing: otherMean } as never });
    expect(predictionKey(request({ target: redeployed }))).not.toBe(base);
  });

  it("gives one key to one config whatever the order of its keys", () => {
    const reordered = target({
      config: {
        preprocessing: { std: [1, 1, 1], mean: [0, 0, 0], height: 8, width: 8 },
        task: "CLASSIFICATION",
      } as never,
    });
    expect(predictionKey(request({ target: reordered }))).toBe(predictionKey(request()));
    expect(canonicalJson({ b: [1, { d: null, c: "x" }], a: undefined })).toBe('{"b":[1,{"c":"x","d":null}]}');
  });
});

describe("prediction cache", () => {
  it("answers a repeated image from the cache with the original scores, latency 0 and servedBy cache", () => {
    const cache = new PredictionCache(1 << 20);
    fill(cache, request());
    expect(cache.get(request())).toEqual({
      scores: SCORES,
      latencyMs: 0,
      servedBy: "cache",
      cached: true,
      degraded: false,
      members: null,
      usedFallback: false,
      timings: null,
    });
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 1, misses: 1, evictions: 0, maxBytes: 1 << 20 });
    expect(cache.bytes).toBe(entryBytes(predictionKey(request()), "model-a", SCORES));
  });

  it("counts an entry by its labels' length, and evicts the least recently used past the byte bound", () => {
    const long = SCORES.map((row) => ({ ...row, label: row.label.repeat(100) }));
    const key = predictionKey(request());
    expect(entryBytes(key, "m", long) - entryBytes(key, "m", SCORES)).toBe(2 * 99 * (4 + 3 + 5));

    const one = entryBytes(key, "model-a", SCORES);
    const cache = new PredictionCache(3 * one);
    const image = (n: number) => request({ imageSha256: String(n).repeat(64) });
    for (const n of [1, 2, 3]) fill(cache, image(n));
    expect(cache.get(image(1))?.cached).toBe(true); // 1 is now the most recent: 2 goes first
    fill(cache, image(4));
    expect(cache.stats()).toMatchObject({ entries: 3, bytes: 3 * one, evictions: 1 });
    expect(cache.get(image(2))).toBeUndefined();
    expect([1, 3, 4].map((n) => cache.get(image(n))?.cached)).toEqual([true, true, true]);
  });

  it("refuses an answer larger than the whole cache and keeps the rest", () => {
    const cache = new PredictionCache(2_000);
    fill(cache, request());
    const huge = [{ label: "x".repeat(2_000), score: 1, index: 0 }];
    fill(cache, request({ imageSha256: "c".repeat(64) }), answer(huge));
    expect(cache.stats()).toMatchObject({ entries: 1, evictions: 0 });
    expect(cache.get(request())?.cached).toBe(true);
  });

  it("drops a model's answers when what it serves changes, and keeps other models'", () => {
    const cache = new PredictionCache(1 << 20);
    const other = request({
      versionId: "version-9",
      target: target({ modelId: "model-b", deploymentId: "d-9" }),
    });
    fill(cache, request());
    fill(cache, other);
    cache.invalidate("model-a");
    expect(cache.get(request())).toBeUndefined();
    expect(cache.get(other)?.cached).toBe(true);
    expect(cache.stats()).toMatchObject({ entries: 1, evictions: 0 });
  });

  it("does not store an answer whose request began before its model was invalidated", () => {
    const cache = new PredictionCache(1 << 20);
    const slow = request();
    expect(cache.get(slow)).toBeUndefined();
    cache.invalidate("model-a");
    cache.set(slow, answer(SCORES));
    expect(cache.stats().entries).toBe(0);
  });

  it("expires REMOTE answers after REMOTE_ANSWER_TTL_MS and keeps tier answers", () => {
    const clock = { ms: 1_000, now: () => clock.ms };
    const cache = new PredictionCache(1 << 20, { clock });
    const remote = request({
      versionId: "version-r",
      target: target({ kind: "REMOTE", modelId: "model-r" }),
    });
    fill(cache, remote);
    fill(cache, request());
    clock.ms += REMOTE_ANSWER_TTL_MS;
    expect(cache.get(remote)?.cached).toBe(true);
    clock.ms += 1;
    expect(cache.get(remote)).toBeUndefined();
    expect(cache.get(request())?.cached).toBe(true);
    expect(cache.stats()).toMatchObject({ entries: 1, evictions: 0 });
  });

  it("remembers a bounded number of invalidated models, never storing a stale answer", () => {
    const cache = new PredictionCache(1 << 20);
    const slow = request();
    expect(cache.get(slow)).toBeUndefined();
    cache.invalidate("model-a");
    // model-a's invalidation is pushed out of the remembered ones by later models'.
    for (let n = 0; n < REMEMBERED_INVALIDATIONS; n++) cache.invalidate(`model-${n}`);
    expect(cache.rememberedInvalidations).toBe(REMEMBERED_INVALIDATIONS);
    cache.set(slow, answer(SCORES));
    expect(cache.stats().entries).toBe(0);
    // A request that began after every invalidation is stored as usual.
    fill(cache, request());
    expect(cache.get(request())?.cached).toBe(true);
  });

  it("caches neither ensembles, degraded answers, targets without a model, nor anything when off", () => {
    const cache = new PredictionCache(1 << 20);
    for (const req of [
      request({ target: target({ kind: "ENSEMBLE" }) }),
      request({ target: target({ modelId: undefined }) }),
    ]) {
      fill(cache, req);
      expect(cache.get(req)).toBeUndefined();
    }
    fill(cache, request(), answer(SCORES, { degraded: true }));
    expect(cache.get(request())).toBeUndefined();
    expect(cache.stats()).toMatchObject({ entries: 0, hits: 0, misses: 2 });

    const off = new PredictionCache(0);
    fill(off, request());
    expect(off.get(request())).toBeUndefined();
    expect(off.stats()).toEqual({ entries: 0, bytes: 0, maxBytes: 0, hits: 0, misses: 0, evictions: 0 });
  });
});

describe("Scoring with the prediction cache", () => {
  function scoringWithCountingTier() {
    const scoring = new Scoring({} as TierClient, {} as DeploymentsService);
    const cache = new PredictionCache(1 << 20);
    const source = { runs: 0, score: async () => (source.runs++, answer(SCORES)) };
    scoring.use("TIER", source);
    scoring.useCache(cache);
    return { scoring, cache, source };
  }

  it("runs the model once for the same image twice", async () => {
    const { scoring, cache, source } = scoringWithCountingTier();
    expect((await scoring.score(request())).servedBy).toBe("tier:127.0.0.1:8001");
    expect(await scoring.score(request())).toMatchObject({ servedBy: "cache", cached: true, scores: SCORES });
    expect(source.runs).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it("neither reads nor fills the cache for useCache false", async () => {
    const { scoring, cache, source } = scoringWithCountingTier();
    await scoring.score(request({ useCache: false }));
    expect(cache.stats()).toMatchObject({ entries: 0, hits: 0, misses: 0 });
    await scoring.score(request());
    expect((await scoring.score(request({ useCache: false }))).cached).toBe(false);
    expect(source.runs).toBe(3);
    expect(cache.stats()).toMatchObject({ entries: 1, hits: 0, misses: 1 });
  });
});

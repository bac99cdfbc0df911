import { LRUCache } from "lru-cache";
import type { PredictionCacheCounters } from "../../metrics/prediction-cache-counters";
import type { ScoreCache } from "../scoring";
import type { ScoreRequest, Scored, ScoreRow } from "../scorer";
import { predictionKey } from "./cache-key";
import { entryBytes } from "./entry-size";

interface Entry {
  modelId: string;
  scores: ScoreRow[];
  bytes: number;
}

/** The cache's counters since start and what it holds now. */
export interface PredictionCacheSnapshot {
  entries: number;
  bytes: number;
  /** TESSERA_PREDICTION_CACHE_BYTES; 0: the cache is off. */
  maxBytes: number;
  hits: number;
  misses: number;
  /** Entries dropped to make room (not those invalidated). */
  evictions: number;
}

/**
 * Answers to images already classified by the same served version, in an LRU (lru-cache) bounded
 * by the estimated bytes of its entries. A hit is the original answer's scores with
 * `cached: true, servedBy: "cache", latencyMs: 0`.
 *
 * Not cached: ENSEMBLE answers (their members are, each under its own key, so the blend is redone
 * from cached members; caching the blend too would keep a degraded one), degraded answers, and
 * targets that do not say their model (nothing could invalidate them).
 *
 * `invalidate(modelId)` drops a model's entries when what it serves changes; an answer whose
 * request began before that change is not stored, so a slow request cannot put the old model's
 * answer back.
 */
export class PredictionCache implements ScoreCache, PredictionCacheCounters {
  private readonly lru: LRUCache<string, Entry> | null;
  private readonly keysByModel = new Map<string, Set<string>>();
  /** Per model, bumped by each invalidation; a miss remembers it for its `set`. */
  private readonly generations = new Map<string, number>();
  private readonly pending = new WeakMap<ScoreRequest, { key: string; generation: number }>();
  private counts = { hits: 0, misses: 0, evictions: 0 };

  constructor(readonly maxBytes: number) {
    this.lru =
      maxBytes > 0
        ? new LRUCache<string, Entry>({
            maxSize: maxBytes,
            sizeCalculation: (entry) => entry.bytes,
            dispose: (entry, key, reason) => this.forget(entry.modelId, key, reason),
          })
        : null;
  }

  get(request: ScoreRequest): Scored | undefined {
    const modelId = this.cacheableModel(request);
    if (!this.lru || modelId === null) return undefined;
    const key = predictionKey(request);
    const entry = this.lru.get(key);
    if (!entry) {
      this.counts.misses += 1;
      this.pending.set(request, { key, generation: this.generations.get(modelId) ?? 0 });
      return undefined;
    }
    this.counts.hits += 1;
    return {
      scores: entry.scores.slice(),
      latencyMs: 0,
      servedBy: "cache",
      cached: true,
      degraded: false,
      members: null,
      usedFallback: false,
      timings: null,
    };
  }

  set(request: ScoreRequest, scored: Scored): void {
    const modelId = this.cacheableModel(request);
    const pending = this.pending.get(request);
    if (!this.lru || modelId === null || !pending) return;
    this.pending.delete(request);
    if (scored.degraded) return;
    if ((this.generations.get(modelId) ?? 0) !== pending.generation) return;
    const scores = scored.scores.slice();
    this.lru.set(pending.key, { modelId, scores, bytes: entryBytes(pending.key, modelId, scores) });
    // An entry larger than the whole cache is refused by the LRU: nothing to index then.
    if (this.lru.has(pending.key)) this.index(modelId).add(pending.key);
  }

  /** What a model serves, or who may see it, changed: its answers are dropped. */
  invalidate(modelId: string): void {
    this.generations.set(modelId, (this.generations.get(modelId) ?? 0) + 1);
    const keys = this.keysByModel.get(modelId);
    if (!keys || !this.lru) return;
    for (const key of [...keys]) this.lru.delete(key);
    this.keysByModel.delete(modelId);
  }

  get hits(): number {
    return this.counts.hits;
  }

  get misses(): number {
    return this.counts.misses;
  }

  get evictions(): number {
    return this.counts.evictions;
  }

  get entries(): number {
    return this.lru?.size ?? 0;
  }

  get bytes(): number {
    return this.lru?.calculatedSize ?? 0;
  }

  stats(): PredictionCacheSnapshot {
    return {
      entries: this.entries,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
    };
  }

  private cacheableModel(request: ScoreRequest): string | null {
    const { target } = request;
    return target.kind === "ENSEMBLE" || !target.modelId ? null : target.modelId;
  }

  private index(modelId: string): Set<string> {
    let keys = this.keysByModel.get(modelId);
    if (!keys) this.keysByModel.set(modelId, (keys = new Set()));
    return keys;
  }

  private forget(modelId: string, key: string, reason: LRUCache.DisposeReason): void {
    if (reason === "evict") this.counts.evictions += 1;
    // Also called when `set` overwrites a key ("set"): `set` indexes the key again right after.
    const keys = this.keysByModel.get(modelId);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByModel.delete(modelId);
  }
}

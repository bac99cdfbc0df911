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
 * How long a REMOTE answer is kept: the model behind a remote endpoint can change without
 * anything here knowing (no deployment of ours changes), so its answers expire instead.
 */
export const REMOTE_ANSWER_TTL_MS = 60_000;
/** Models whose last invalidation is remembered by name; older ones are summed up by `forgotten`. */
export const REMEMBERED_INVALIDATIONS = 4_096;

export interface PredictionCacheOptions {
  /** The clock of REMOTE answers' expiry (lru-cache's `perf`); tests pass their own. */
  clock?: { now(): number };
}

/**
 * Answers to images already classified by the same served version, in an LRU (lru-cache) bounded
 * by the estimated bytes of its entries. A hit is the original answer's scores with
 * `cached: true, servedBy: "cache", latencyMs: 0`.
 *
 * Not cached: ENSEMBLE answers (their members are, each under its own key, so the blend is redone
 * from cached members; caching the blend too would keep a degraded one), degraded answers, and
 * targets that do not say their model (nothing could invalidate them). REMOTE answers expire
 * REMOTE_ANSWER_TTL_MS after they were stored.
 *
 * `invalidate(modelId)` drops a model's entries when what it serves changes; an answer whose
 * request began before that change is not stored, so a slow request cannot put the old model's
 * answer back.
 */
export class PredictionCache implements ScoreCache, PredictionCacheCounters {
  private readonly lru: LRUCache<string, Entry> | null;
  private readonly keysByModel = new Map<string, Set<string>>();
  /**
   * Invalidations are numbered (`epoch`); a miss remembers the number current when it began, and
   * its `set` is dropped if its model was invalidated since. Only the REMEMBERED_INVALIDATIONS
   * latest models are kept by name (a Map in the order of their last invalidation); `forgotten`
   * is the latest number among those let go, and any other model counts as invalidated then —
   * at worst an answer is not stored, never a stale one stored.
   */
  private readonly invalidatedAt = new Map<string, number>();
  private epoch = 0;
  private forgotten = 0;
  private readonly pending = new WeakMap<ScoreRequest, { key: string; epoch: number }>();
  private counts = { hits: 0, misses: 0, evictions: 0 };

  constructor(
    readonly maxBytes: number,
    options: PredictionCacheOptions = {},
  ) {
    this.lru =
      maxBytes > 0
        ? new LRUCache<string, Entry>({
            maxSize: maxBytes,
            sizeCalculation: (entry) => entry.bytes,
            dispose: (entry, key, reason) => this.forget(entry.modelId, key, reason),
            // Read the clock at each check rather than cache it for a millisecond behind a timer.
            ttlResolution: 0,
            ...(options.clock ? { perf: options.clock } : {}),
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
      this.pending.set(request, { key, epoch: this.epoch });
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
    if ((this.invalidatedAt.get(modelId) ?? this.forgotten) > pending.epoch) return;
    const scores = scored.scores.slice();
    const ttl = request.target.kind === "REMOTE" ? REMOTE_ANSWER_TTL_MS : undefined;
    this.lru.set(pending.key, { modelId, scores, bytes: entryBytes(pending.key, modelId, scores) }, { ttl });
    // An entry larger than the whole cache is refused by the LRU: nothing to index then.
    if (this.lru.has(pending.key)) this.index(modelId).add(pending.key);
  }

  /** What a model serves, or who may see it, changed: its answers are dropped. */
  invalidate(modelId: string): void {
    this.epoch += 1;
    // Deleted first so that the Map's order stays that of the last invalidations.
    this.invalidatedAt.delete(modelId);
    this.invalidatedAt.set(modelId, this.epoch);
    if (this.invalidatedAt.size > REMEMBERED_INVALIDATIONS) {
      const [oldest, at] = this.invalidatedAt.entries().next().value as [string, number];
      this.invalidatedAt.delete(oldest);
      this.forgotten = at;
    }
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

  /** How many models' invalidations are remembered by name (bounded by REMEMBERED_INVALIDATIONS). */
  get rememberedInvalidations(): number {
    return this.invalidatedAt.size;
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

  /** Whether `get` would look the request up: the cache is on and the answer is one it keeps. */
  looksUp(request: ScoreRequest): boolean {
    return this.lru !== null && this.cacheableModel(request) !== null;
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

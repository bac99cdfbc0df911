import { LRUCache } from "lru-cache";
import type { Dispatcher } from "undici";
import type { PrismaClient } from "../../generated/prisma/client";
import { serviceUnavailable } from "../../errors";
import { limits } from "../../limits";
import type { ScoreRequest, ScoreRow, Scored, ScoreSource } from "../scorer";
import { classifyRemote, type RemoteEndpointSpec, type RemotePrediction } from "./remote-client";
import { remoteDispatcher } from "./remote-dispatcher";
import { RemoteGuard, defaultBreakerSettings, type BreakerSettings } from "./remote-guard";
import type { SecretBox } from "./secret-box";

export interface RemoteEndpointRow extends RemoteEndpointSpec {
  versionId: string;
  modelId: string;
  host: string;
  perMinute: number | null;
  perHour: number | null;
  hasSecret: boolean;
}

export interface RemoteScoresOptions {
  /** The SecretBox, opened on first need (a gateway without remote models never creates a key). */
  secrets: () => Promise<SecretBox>;
  /** The operator's consent to endpoints on internal networks (the URL-import policy). */
  allowInternal: () => Promise<boolean>;
  breaker?: BreakerSettings;
}

/** Endpoints (with their decrypted secrets) kept in memory at once, and for how long at most. */
export const ENDPOINT_CACHE = { max: 1_000, ttlMs: 10 * 60_000 };
/** Guards (breaker, buckets, Retry-After; no secret) kept at once; the least recently used go. */
export const GUARD_CACHE_MAX = 10_000;

/**
 * REMOTE versions: each classification is one call to the registered endpoint through its guard
 * (Retry-After, circuit breaker, token buckets), over the gateway's guarded dispatcher. An
 * endpoint row never changes (a version is immutable), but its decrypted secret is kept only
 * ENDPOINT_CACHE.ttlMs from its decryption (then read and opened again), and dropped at once when
 * what the model serves changes (`forget`, told by DeploymentsService.onServingChanged).
 */
export class RemoteScores implements ScoreSource {
  private readonly endpoints = new LRUCache<string, Promise<RemoteEndpointRow>>({
    max: ENDPOINT_CACHE.max,
    ttl: ENDPOINT_CACHE.ttlMs,
  });
  private readonly guards = new LRUCache<string, RemoteGuard>({ max: GUARD_CACHE_MAX });
  private dispatcher: Promise<Dispatcher> | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: RemoteScoresOptions,
  ) {}

  async score(request: ScoreRequest): Promise<Scored> {
    const endpoint = await this.endpoint(request.versionId);
    const guard = this.guardOf(endpoint);
    const started = performance.now();
    const dispatcher = await this.guardedDispatcher();
    const predictions = await guard.call(
      (signal) => classifyRemote(endpoint, request.image, dispatcher, signal),
      request.signal,
    );
    return {
      scores: alignedScores(endpoint.labels, predictions),
      latencyMs: performance.now() - started,
      servedBy: `remote:${endpoint.host}`,
      cached: false,
      degraded: false,
      members: null,
      usedFallback: false,
      timings: null,
    };
  }

  /** The endpoint of a REMOTE version (its secret neither decrypted nor returned), with its circuit. */
  async describe(versionId: string) {
    const row = await this.prisma.remoteEndpoint.findUnique({ where: { modelVersionId: versionId } });
    if (!row) return null;
    const guard = this.guards.peek(versionId);
    return {
      url: row.url,
      remoteModel: row.remoteModel,
      timeoutMs: row.timeoutMs,
      rateLimit: { perMinute: row.perMinute, perHour: row.perHour },
      hasSecret: row.secretCiphertext !== null,
      circuit: guard?.circuit ?? "CLOSED",
      retryAfter: guard?.retryAfter ?? null,
    };
  }

  /** What a model serves changed (a version deleted, a deployment moved): its secrets are dropped. */
  forget(modelId: string): void {
    for (const [versionId, endpoint] of this.endpoints.entries()) {
      endpoint.then(
        (row) => {
          if (row.modelId === modelId && this.endpoints.peek(versionId) === endpoint) {
            this.endpoints.delete(versionId);
          }
        },
        () => {},
      );
    }
  }

  private guardedDispatcher(): Promise<Dispatcher> {
    this.dispatcher ??= this.options.allowInternal().then(remoteDispatcher);
    return this.dispatcher;
  }

  private endpoint(versionId: string): Promise<RemoteEndpointRow> {
    let endpoint = this.endpoints.get(versionId);
    if (!endpoint) {
      const loading = this.load(versionId);
      this.endpoints.set(versionId, loading);
      // A failed load (a database blip) is tried again by the next request.
      loading.catch(() => {
        if (this.endpoints.peek(versionId) === loading) this.endpoints.delete(versionId);
      });
      endpoint = loading;
    }
    return endpoint;
  }

  private async load(versionId: string): Promise<RemoteEndpointRow> {
    const row = await this.prisma.remoteEndpoint.findUnique({
      where: { modelVersionId: versionId },
      include: { modelVersion: { select: { labels: true, modelId: true } } },
    });
    if (!row) throw serviceUnavailable("This remote model has no endpoint registered");
    const secret = row.secretCiphertext
      ? (await this.options.secrets()).open(row.secretCiphertext, versionId)
      : null;
    return {
      versionId,
      modelId: row.modelVersion.modelId,
      url: row.url,
      host: new URL(row.url).host,
      remoteModel: row.remoteModel,
      labels: row.modelVersion.labels,
      timeoutMs: row.timeoutMs,
      secret,
      perMinute: row.perMinute,
      perHour: row.perHour,
      hasSecret: row.secretCiphertext !== null,
    };
  }

  private guardOf(endpoint: RemoteEndpointRow): RemoteGuard {
    let guard = this.guards.get(endpoint.versionId);
    if (!guard) {
      guard = new RemoteGuard(endpoint.host, endpoint, this.options.breaker ?? defaultBreakerSettings);
      this.guards.set(endpoint.versionId, guard);
    }
    return guard;
  }
}

/**
 * Every registered label once, highest first (ties in registration order): the endpoint's score,
 * or 0 for a label it did not return; labels it returned that were not registered are dropped.
 * `index` is the label's position in the registration.
 */
export function alignedScores(labels: string[], predictions: RemotePrediction[]): ScoreRow[] {
  const answered = new Map(predictions.map((p) => [p.label, p.score]));
  return labels
    .map((label, index) => ({ label, score: answered.get(label) ?? 0, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, limits.inference.topK);
}

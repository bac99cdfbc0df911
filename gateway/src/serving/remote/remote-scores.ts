import type { PrismaClient } from "../../generated/prisma/client";
import { forbidden, serviceUnavailable } from "../../errors";
import { limits } from "../../limits";
import { hostIsInternal } from "../../models/private-addresses";
import type { ScoreRequest, ScoreRow, Scored, ScoreSource } from "../scorer";
import { classifyRemote, type RemoteEndpointSpec, type RemotePrediction } from "./remote-client";
import { RemoteGuard, defaultBreakerSettings, type BreakerSettings } from "./remote-guard";
import type { SecretBox } from "./secret-box";

export interface RemoteEndpointRow extends RemoteEndpointSpec {
  versionId: string;
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

/**
 * REMOTE versions: each classification is one call to the registered endpoint through its guard
 * (Retry-After, circuit breaker, token buckets). An endpoint row never changes (a version is
 * immutable), so rows and guards are kept per version for the life of the process.
 */
export class RemoteScores implements ScoreSource {
  private readonly endpoints = new Map<string, Promise<RemoteEndpointRow>>();
  private readonly guards = new Map<string, RemoteGuard>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: RemoteScoresOptions,
  ) {}

  async score(request: ScoreRequest): Promise<Scored> {
    const endpoint = await this.endpoint(request.versionId);
    const guard = this.guardOf(endpoint);
    const started = performance.now();
    const predictions = await guard.call(async (signal) => {
      // Checked again at call time: the name may resolve elsewhere than when it was registered.
      if (!(await this.options.allowInternal()) && (await hostIsInternal(new URL(endpoint.url).hostname))) {
        throw forbidden(`${endpoint.host} now resolves to an internal address; the call was refused`);
      }
      return classifyRemote(endpoint, request.image, signal);
    }, request.signal);
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
    const guard = this.guards.get(versionId);
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

  private endpoint(versionId: string): Promise<RemoteEndpointRow> {
    let endpoint = this.endpoints.get(versionId);
    if (!endpoint) {
      endpoint = this.load(versionId);
      this.endpoints.set(versionId, endpoint);
      // A failed load (a database blip) is tried again by the next request.
      endpoint.catch(() => this.endpoints.delete(versionId));
    }
    return endpoint;
  }

  private async load(versionId: string): Promise<RemoteEndpointRow> {
    const row = await this.prisma.remoteEndpoint.findUnique({
      where: { modelVersionId: versionId },
      include: { modelVersion: { select: { labels: true } } },
    });
    if (!row) throw serviceUnavailable("This remote model has no endpoint registered");
    const secret = row.secretCiphertext
      ? (await this.options.secrets()).open(row.secretCiphertext, versionId)
      : null;
    return {
      versionId,
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

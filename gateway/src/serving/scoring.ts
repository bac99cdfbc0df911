import { createHash } from "node:crypto";
import { loadTasks } from "@tessera/proto/tasks";
import { AppError, ErrorCode } from "../errors";
import type { TierClient } from "../tier/tier-client";
import type { DeploymentsService } from "../inference/deployments.service";
import type { ServingKind, ServingTarget } from "../inference/serving-targets";
import { limits } from "../limits";
import { tierScored, type ScoreRequest, type Scored, type ScoreSource } from "./scorer";

/** sha256 (hex) of an image's bytes: the prediction cache's key and the prediction log's blob name. */
export function imageDigest(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Answers kept for earlier requests (see serving/cache). */
export interface ScoreCache {
  get(request: ScoreRequest): Scored | undefined;
  set(request: ScoreRequest, scored: Scored): void;
  /**
   * Whether `get` looks this request up at all (false: the cache is off, or never holds such
   * answers), so only real lookups count as misses. Without it: every request but an ensemble's.
   */
  looksUp?(request: ScoreRequest): boolean;
}

/** One scoring as recorded: `scored` on success; `errorCode` (an ErrorCode or gRPC-derived code) when it failed. */
export type ScoreOutcome = ({ scored: Scored } | { errorCode: string }) & {
  gatewayMs: number;
  /** The prediction cache was looked up (an answer not taken from it is then a miss); absent: it was not. */
  cacheLookup?: boolean;
  /** Scored as an ensemble's member, inside a request its ensemble records too; absent: a request of its own. */
  member?: boolean;
};

/** What each scoring did, for analytics and metrics (see serving/analytics). */
export interface ScoreRecorder {
  record(versionId: string, outcome: ScoreOutcome): void;
}

/**
 * Scores an image for a READY version, whoever answers it: the prediction cache first (unless the
 * request bypasses it), else the tier, an ensemble's members or a remote endpoint; then records
 * what happened. Ensembles score their members through this same object, so members are cached,
 * recorded and served like any version.
 */
export class Scoring {
  private readonly sources = new Map<ServingKind, ScoreSource>();
  private cache: ScoreCache | null = null;
  private recorder: ScoreRecorder | null = null;

  constructor(tier: TierClient, deployments: DeploymentsService) {
    this.sources.set("TIER", new TierScores(tier, deployments));
  }

  /** Plugs in the source of ENSEMBLE or REMOTE versions. */
  use(kind: ServingKind, source: ScoreSource): void {
    this.sources.set(kind, source);
  }

  useCache(cache: ScoreCache): void {
    this.cache = cache;
  }

  useRecorder(recorder: ScoreRecorder): void {
    this.recorder = recorder;
  }

  async score(request: ScoreRequest): Promise<Scored> {
    const started = performance.now();
    const cacheLookup = this.looksUp(request);
    const member = request.member === true;
    try {
      const hit = request.useCache ? this.cache?.get(request) : undefined;
      const scored = hit ?? (await this.source(request.target).score(request));
      if (!hit && request.useCache) this.cache?.set(request, scored);
      this.recorder?.record(request.versionId, {
        scored,
        gatewayMs: performance.now() - started,
        cacheLookup,
        member,
      });
      return scored;
    } catch (error) {
      const errorCode = error instanceof AppError ? error.code : ErrorCode.INTERNAL_SERVER_ERROR;
      this.recorder?.record(request.versionId, {
        errorCode,
        gatewayMs: performance.now() - started,
        cacheLookup,
        member,
      });
      throw error;
    }
  }

  /** Records a request that did not go through `score` (detections), as `score` records its own. */
  record(versionId: string, outcome: ScoreOutcome): void {
    this.recorder?.record(versionId, outcome);
  }

  /** Whether the cache is consulted for this request: the same lookups the cache counts. */
  private looksUp(request: ScoreRequest): boolean {
    if (!request.useCache || !this.cache) return false;
    return this.cache.looksUp?.(request) ?? request.target.kind !== "ENSEMBLE";
  }

  private source(target: ServingTarget): ScoreSource {
    const source = this.sources.get(target.kind);
    if (!source) throw new Error(`No score source for ${target.kind} versions`);
    return source;
  }
}

/** An ONNX version on a tier: its Classify, every class's score, and where and how it ran. */
class TierScores implements ScoreSource {
  constructor(
    private readonly tier: TierClient,
    private readonly deployments: DeploymentsService,
  ) {}

  async score(request: ScoreRequest): Promise<Scored> {
    let servedBy = "tier";
    const response = await this.deployments.callTier(
      request.viewer,
      request.versionId,
      request.signal,
      tasks().Classify,
      {
        model_name: request.target.tierModelName,
        model_version: request.target.tierModelVersion,
        image: request.image,
        top_k: limits.inference.topK,
      },
      (tier) => (servedBy = `tier:${tier}`),
    );
    return tierScored(
      response.predictions.map((p) => ({ label: p.label, score: p.score, index: p.index })),
      response,
      servedBy,
    );
  }
}

/** The task service's generated method definitions (proto/tessera/tasks.proto). */
const tasks = () => loadTasks().TaskService.service;

import type { TierTimings__Output } from "@tessera/proto/generated/tessera/tasks/v1/TierTimings";
import type { Viewer } from "../users/access";
import type { ServingTarget } from "../inference/serving-targets";
import type { MemberRole } from "../inference/inference.types";

/** One class of an answer: its label, probability and position in the answering model's output. */
export interface ScoreRow {
  label: string;
  score: number;
  index: number;
}

/** Time a tier request spent waiting in the batcher and running, and the batch it ran in. */
export interface TierTimings {
  queueMs: number;
  computeMs: number;
  batchSize: number;
}

/** One member's part of an ensemble answer. */
export interface MemberScore {
  modelVersionId: string;
  role: MemberRole;
  weight: number;
  /** Every class it answered, highest first (empty when it failed). */
  scores: ScoreRow[];
  latencyMs: number;
  servedBy: string;
  error: { code: string; message: string } | null;
}

/** A classification's scores, before the prediction log, adjustments and top-k are applied. */
export interface Scored {
  /** Every class the source answered (up to limits.inference.topK), highest first. */
  scores: ScoreRow[];
  latencyMs: number;
  /** "tier:<address>", "remote:<host>", "ensemble" or "cache". */
  servedBy: string;
  cached: boolean;
  degraded: boolean;
  /** Set for ensembles. */
  members: MemberScore[] | null;
  /** An ensemble's fallback members answered (some member failed). */
  usedFallback: boolean;
  /** For a tier answer; null otherwise. */
  timings: TierTimings | null;
}

/** A tier's answer as a Scored: its rows, latency and timings; not cached, degraded or an ensemble's. */
export function tierScored(
  scores: ScoreRow[],
  response: { latency_ms: number; timings: TierTimings__Output | null },
  servedBy: string,
): Scored {
  const timings = response.timings;
  return {
    scores,
    latencyMs: response.latency_ms,
    servedBy,
    cached: false,
    degraded: false,
    members: null,
    usedFallback: false,
    timings: timings
      ? { queueMs: timings.queue_ms, computeMs: timings.compute_ms, batchSize: timings.batch_size }
      : null,
  };
}

/** What a source needs to score one image for one READY version. */
export interface ScoreRequest {
  viewer: Viewer | null;
  versionId: string;
  target: ServingTarget;
  image: Buffer;
  /** sha256 (hex) of `image`, computed once per request. */
  imageSha256: string;
  signal?: AbortSignal;
  /** False: neither read nor fill the prediction cache. */
  useCache: boolean;
  /** True when an ensemble scores this for one of its members (recorded apart from requests). */
  member?: boolean;
}

/** Scores an image for a version of one serving kind (TIER, ENSEMBLE, REMOTE). */
export interface ScoreSource {
  score(request: ScoreRequest): Promise<Scored>;
}

import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MemberRole } from "../inference/inference.types";
import { ModelVersion } from "../models/models.types";
import { limits } from "../limits";

export enum EnsembleBlend {
  CONFIDENCE_WEIGHTED = "CONFIDENCE_WEIGHTED",
  MAX = "MAX",
  AVERAGE = "AVERAGE",
  VOTE = "VOTE",
}
registerEnumType(EnsembleBlend, {
  name: "EnsembleBlend",
  description:
    "How member probabilities pᵢ(c) with weights wᵢ become one score per label (a member without label c has pᵢ(c) = 0). " +
    "AVERAGE: Σ wᵢ pᵢ(c) / Σ wᵢ. CONFIDENCE_WEIGHTED: the same with wᵢ × maxₖ pᵢ(k) in place of wᵢ. " +
    "MAX: maxᵢ pᵢ(c), weights not used. VOTE: each member gives its weight to its top label; score = Σ of those weights / Σ wᵢ, ties broken by AVERAGE. " +
    "Sums run over the members that answered.",
});

@InputType({ description: "Exactly one of modelVersionId or alias" })
export class EnsembleMemberInput {
  @Field(() => ID, { nullable: true })
  modelVersionId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A model\'s alias, followed at request time: "slug@alias" for your own model, "handle/slug@alias" for one you can see',
  })
  alias?: string | null;

  @Field(() => Float, { nullable: true, defaultValue: 1, description: `0 to ${limits.serving.maxWeight}` })
  weight?: number | null;
}

@InputType()
export class CreateEnsembleInput {
  @Field(() => String, {
    description: "The ensemble model's slug (created, or a new version of your ensemble with that slug)",
  })
  slug!: string;

  @Field(() => [EnsembleMemberInput], { description: `2 to ${limits.serving.ensembleMembers} members` })
  members!: EnsembleMemberInput[];

  @Field(() => EnsembleBlend)
  blend!: EnsembleBlend;

  @Field(() => [EnsembleMemberInput], {
    nullable: true,
    description: `Up to ${limits.serving.ensembleFallbacks}; run only when a member fails`,
  })
  fallback?: EnsembleMemberInput[] | null;

  @Field(() => Int, {
    nullable: true,
    description: `How long a member may take, ${limits.serving.memberTimeoutMs.min} to ${limits.serving.memberTimeoutMs.max} ms (default ${limits.serving.memberTimeoutMs.default})`,
  })
  memberTimeoutMs?: number | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Only for a new model; default false" })
  isPublic?: boolean | null;
}

@ObjectType({ description: "One member of an ensemble as it was registered" })
export class EnsembleMemberRef {
  @Field(() => MemberRole)
  role!: MemberRole;

  @Field(() => Float)
  weight!: number;

  @Field(() => ModelVersion, {
    nullable: true,
    description: "The version it names, or the one its alias points at now (null when you cannot see it)",
  })
  modelVersion!: ModelVersion | null;

  @Field(() => String, { nullable: true, description: 'Set for alias members: "handle/slug@alias"' })
  alias!: string | null;
}

@ObjectType()
export class Ensemble {
  @Field(() => EnsembleBlend)
  blend!: EnsembleBlend;

  @Field(() => Int)
  memberTimeoutMs!: number;

  @Field(() => [EnsembleMemberRef], { description: "Members first, then fallbacks, in the order given" })
  members!: EnsembleMemberRef[];
}

@InputType()
export class RemoteRateLimitInput {
  @Field(() => Int, { nullable: true, description: `1 to ${limits.serving.remote.perMinute}` })
  perMinute?: number | null;

  @Field(() => Int, { nullable: true, description: `1 to ${limits.serving.remote.perHour}` })
  perHour?: number | null;
}

@InputType()
export class RegisterRemoteModelInput {
  @Field(() => String)
  slug!: string;

  @Field(() => String, {
    description:
      "http(s) base URL; the gateway POSTs to <url>/classify. Private addresses need the operator's consent",
  })
  url!: string;

  @Field(() => String, {
    nullable: true,
    description: "Sent as `Authorization: Bearer <secret>`; stored encrypted, never returned",
  })
  secret?: string | null;

  @Field(() => String, { description: "The `model` the endpoint is asked for" })
  remoteModel!: string;

  @Field(() => [String], { description: `The labels it answers with, 1 to ${limits.serving.remote.labels}` })
  labels!: string[];

  @Field(() => Int, {
    nullable: true,
    description: `${limits.serving.remote.timeoutMs.min} to ${limits.serving.remote.timeoutMs.max} ms (default ${limits.serving.remote.timeoutMs.default})`,
  })
  timeoutMs?: number | null;

  @Field(() => RemoteRateLimitInput, { nullable: true })
  rateLimit?: RemoteRateLimitInput | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ObjectType()
export class RemoteRateLimit {
  @Field(() => Int, { nullable: true })
  perMinute!: number | null;

  @Field(() => Int, { nullable: true })
  perHour!: number | null;
}

@ObjectType({ description: "A REMOTE version's endpoint (its secret is never returned)" })
export class RemoteModel {
  @Field(() => String)
  url!: string;

  @Field(() => String)
  remoteModel!: string;

  @Field(() => Int)
  timeoutMs!: number;

  @Field(() => RemoteRateLimit)
  rateLimit!: RemoteRateLimit;

  @Field(() => Boolean)
  hasSecret!: boolean;

  @Field(() => String, {
    description: "CLOSED (calls go through), OPEN (failing: calls are refused), HALF_OPEN (one trial call)",
  })
  circuit!: string;

  @Field(() => Date, {
    nullable: true,
    description: "Until when the endpoint asked us to wait (429 Retry-After)",
  })
  retryAfter!: Date | null;
}

@ObjectType({ description: "Where an imported version came from" })
export class ImportedPackage {
  @Field(() => String, { description: "sha256 of the .tessera file" })
  sha256!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  version!: string;

  @Field(() => String, { nullable: true })
  author!: string | null;

  @Field(() => String, { nullable: true, description: "When the package says it was made" })
  created!: string | null;

  @Field(() => String)
  packageVersion!: string;

  @Field(() => Date)
  importedAt!: Date;
}

@ObjectType({ description: "A .tessera model package behind a signed, short-lived download URL" })
export class ModelPackage {
  @Field(() => String)
  url!: string;

  @Field(() => String, { description: 'e.g. "alice-colours-v2.tessera"' })
  filename!: string;

  @Field(() => Float)
  sizeBytes!: number;

  @Field(() => String)
  sha256!: string;

  @Field(() => Date)
  expiresAt!: Date;
}

export enum AnalyticsWindow {
  LAST_15_MINUTES = "LAST_15_MINUTES",
  LAST_HOUR = "LAST_HOUR",
  LAST_DAY = "LAST_DAY",
  LAST_WEEK = "LAST_WEEK",
}
registerEnumType(AnalyticsWindow, { name: "AnalyticsWindow" });

@ObjectType()
export class Percentiles {
  @Field(() => Float, { nullable: true, description: "ms; null without requests" })
  p50!: number | null;

  @Field(() => Float, { nullable: true })
  p95!: number | null;

  @Field(() => Float, { nullable: true })
  p99!: number | null;
}

@ObjectType({ description: "Latency per stage: percentiles from bucketed histograms (upper bucket bounds)" })
export class StageLatency {
  @Field(() => Percentiles, { description: "The whole request in the gateway" })
  gateway!: Percentiles;

  @Field(() => Percentiles, { description: "Waiting in the tier's batcher" })
  queue!: Percentiles;

  @Field(() => Percentiles, { description: "ONNX Runtime's run" })
  compute!: Percentiles;
}

@ObjectType()
export class KeyCount {
  @Field(() => String)
  key!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class AnalyticsPoint {
  @Field(() => Date, { description: "Start of the bucket" })
  at!: Date;

  @Field(() => Int)
  requests!: number;

  @Field(() => Int)
  errors!: number;

  @Field(() => Float, { nullable: true, description: "ms" })
  p95!: number | null;
}

@ObjectType({ description: "What a deployment served over a window, from every gateway replica" })
export class ServingAnalytics {
  @Field(() => AnalyticsWindow)
  window!: AnalyticsWindow;

  @Field(() => Date)
  from!: Date;

  @Field(() => Date)
  to!: Date;

  @Field(() => Int)
  requests!: number;

  @Field(() => [KeyCount], { description: "Failed requests by error code, most first" })
  errors!: KeyCount[];

  @Field(() => StageLatency)
  latency!: StageLatency;

  @Field(() => [KeyCount], { description: "Requests by the tier batch they ran in (key: batch size)" })
  batchSizes!: KeyCount[];

  @Field(() => Int)
  cacheHits!: number;

  @Field(() => Int)
  cacheMisses!: number;

  @Field(() => Float, { nullable: true, description: "hits / (hits + misses); null without lookups" })
  cacheHitRate!: number | null;

  @Field(() => Float, { nullable: true, description: "Share of requests a fallback member answered" })
  fallbackRate!: number | null;

  @Field(() => Int, { description: "Requests answered without every member (ensembles)" })
  degraded!: number;

  @Field(() => [KeyCount], { description: "Requests by where they were served, most first" })
  servedBy!: KeyCount[];

  @Field(() => [AnalyticsPoint], { description: "Evenly spaced buckets over the window, oldest first" })
  series!: AnalyticsPoint[];
}

@ObjectType({ description: "The gateway's prediction cache on this replica" })
export class PredictionCacheStats {
  @Field(() => Int)
  entries!: number;

  @Field(() => Float)
  bytes!: number;

  @Field(() => Float, { description: "TESSERA_PREDICTION_CACHE_BYTES; 0: the cache is off" })
  maxBytes!: number;

  @Field(() => Float)
  hits!: number;

  @Field(() => Float)
  misses!: number;

  @Field(() => Float, {
    description: "Entries dropped to stay within maxBytes (invalidated ones not counted)",
  })
  evictions!: number;
}

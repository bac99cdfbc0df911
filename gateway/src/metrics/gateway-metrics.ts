import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { PrismaClient } from "../generated/prisma/client";
import type { ScoreRecorder } from "../serving/scoring";
import type { PredictionCacheCounters } from "./prediction-cache-counters";

/** Distinct operation names kept as labels; later names count as "other" (clients pick names). */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type GraphQLOutcome = "success" | "error" | "invalid";

/**
 * The gateway's Prometheus registry (prom-client): GraphQL operations, scoring outcomes, the
 * prediction cache and the job platform, plus Node's process metrics. Per-version serving figures
 * are in `Deployment.analytics`, not here: versions as labels would grow without bound.
 */
export class GatewayMetrics implements ScoreRecorder {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  private readonly operations: Counter<"operation" | "type" | "outcome">;
  private readonly operationSeconds: Histogram<"operation" | "type">;
  private readonly scorings: Counter<"outcome" | "served_by">;
  private readonly scoringSeconds: Histogram<"served_by">;
  private readonly fallbacks: Counter;
  private readonly degraded: Counter;
  private cache: PredictionCacheCounters | null = null;

  constructor(private readonly prisma: PrismaClient) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "tessera_" });
    this.operations = new Counter({
      name: "tessera_graphql_operations_total",
      help: "GraphQL operations by name, type (query, mutation, subscription) and outcome (success, error, invalid)",
      labelNames: ["operation", "type", "outcome"],
      registers,
    });
    this.operationSeconds = new Histogram({
      name: "tessera_graphql_operation_duration_seconds",
      help: "Time from receiving a GraphQL operation to sending its answer",
      labelNames: ["operation", "type"],
      buckets: SECONDS,
      registers,
    });
    this.scorings = new Counter({
      name: "tessera_scoring_requests_total",
      help: "Classifications scored, by outcome (ok or the error code) and what served them (tier, remote, ensemble, cache)",
      labelNames: ["outcome", "served_by"],
      registers,
    });
    this.scoringSeconds = new Histogram({
      name: "tessera_scoring_duration_seconds",
      help: "Time the gateway spent scoring one image, cache lookups and ensemble members included",
      labelNames: ["served_by"],
      buckets: SECONDS,
      registers,
    });
    this.fallbacks = new Counter({
      name: "tessera_scoring_fallbacks_total",
      help: "Ensemble answers a fallback member took part in",
      registers,
    });
    this.degraded = new Counter({
      name: "tessera_scoring_degraded_total",
      help: "Ensemble answers given without every member",
      registers,
    });
    this.registerCache(registers);
    this.registerJobs(registers);
  }

  /** The prediction cache's counters, read at each scrape (see PredictionCacheCounters). */
  usePredictionCache(cache: PredictionCacheCounters): void {
    this.cache = cache;
  }

  /** One GraphQL operation answered; `name` null for an anonymous operation. */
  graphqlOperation(name: string | null, type: string, outcome: GraphQLOutcome, seconds: number): void {
    const operation = this.operationLabel(name);
    this.operations.inc({ operation, type, outcome });
    this.operationSeconds.observe({ operation, type }, seconds);
  }

  record(...[, outcome]: Parameters<ScoreRecorder["record"]>): void {
    const seconds = outcome.gatewayMs / 1000;
    if ("errorCode" in outcome) {
      this.scorings.inc({ outcome: outcome.errorCode, served_by: "none" });
      this.scoringSeconds.observe({ served_by: "none" }, seconds);
      return;
    }
    const servedBy = servedByKind(outcome.scored.servedBy);
    this.scorings.inc({ outcome: "ok", served_by: servedBy });
    this.scoringSeconds.observe({ served_by: servedBy }, seconds);
    if (outcome.scored.usedFallback) this.fallbacks.inc();
    if (outcome.scored.degraded) this.degraded.inc();
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  private operationLabel(name: string | null): string {
    if (!name) return "anonymous";
    if (!OPERATION_NAME.test(name)) return "other";
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return "other";
    this.operationNames.add(name);
    return name;
  }

  private registerCache(registers: Registry[]): void {
    const read = (key: keyof PredictionCacheCounters) => this.cache?.[key] ?? 0;
    new Counter({
      name: "tessera_prediction_cache_hits_total",
      help: "Classifications answered from this replica's prediction cache",
      registers,
      collect() {
        this.reset();
        this.inc(read("hits"));
      },
    });
    new Counter({
      name: "tessera_prediction_cache_misses_total",
      help: "Prediction cache lookups that found nothing (requests bypassing the cache are not counted)",
      registers,
      collect() {
        this.reset();
        this.inc(read("misses"));
      },
    });
    new Gauge({
      name: "tessera_prediction_cache_entries",
      help: "Answers held in this replica's prediction cache",
      registers,
      collect() {
        this.set(read("entries"));
      },
    });
    new Gauge({
      name: "tessera_prediction_cache_bytes",
      help: "Bytes held in this replica's prediction cache",
      registers,
      collect() {
        this.set(read("bytes"));
      },
    });
  }

  /** Jobs are rows shared by every replica and worker: each scrape reads the table itself. */
  private registerJobs(registers: Registry[]): void {
    const prisma = this.prisma;
    new Gauge({
      name: "tessera_jobs",
      help: "Jobs of the job platform by kind and status (the same figures on every replica)",
      labelNames: ["kind", "status"],
      registers,
      async collect() {
        const groups = await prisma.job.groupBy({ by: ["kind", "status"], _count: { _all: true } });
        this.reset();
        for (const group of groups) this.set({ kind: group.kind, status: group.status }, group._count._all);
      },
    });
    new Gauge({
      name: "tessera_jobs_oldest_queued_seconds",
      help: "Age of the oldest QUEUED job of each kind",
      labelNames: ["kind"],
      registers,
      async collect() {
        const groups = await prisma.job.groupBy({
          by: ["kind"],
          where: { status: "QUEUED" },
          _min: { createdAt: true },
        });
        this.reset();
        for (const group of groups) {
          const oldest = group._min.createdAt;
          if (oldest) this.set({ kind: group.kind }, (Date.now() - oldest.getTime()) / 1000);
        }
      },
    });
  }
}

/** "tier:127.0.0.1:8001" → "tier": addresses and hosts would make a label per replica or endpoint. */
export function servedByKind(servedBy: string): string {
  return servedBy.split(":")[0] || "unknown";
}

import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PrismaClient } from "../generated/prisma/client";
import type { ScoreOutcome, ScoreRecorder } from "../serving/scoring";
import type { PredictionCacheCounters } from "./prediction-cache-counters";
import { processMetrics } from "./process-metrics";

/** Distinct operation names kept as labels; later names count as "other" (clients pick names). */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** How long one read of the jobs table serves scrapes: every replica and scraper reads the same rows. */
const JOB_FIGURES_TTL_MS = 10_000;

export type GraphQLOutcome = "success" | "error" | "invalid";

interface JobFigures {
  byStatus: Array<{ kind: string; status: string; _count: { _all: number } }>;
  oldestQueued: Array<{ kind: string; _min: { createdAt: Date | null } }>;
}

/**
 * The gateway's Prometheus registry (prom-client): GraphQL operations, scoring outcomes, the
 * prediction cache and the job platform, plus Node's process metrics (process-wide, see
 * process-metrics.ts). Per-version serving figures are in `Deployment.analytics`, not here:
 * versions as labels would grow without bound.
 */
export class GatewayMetrics implements ScoreRecorder {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  private readonly operations: Counter<"operation" | "type" | "outcome">;
  private readonly operationSeconds: Histogram<"operation" | "type">;
  private readonly scorings: Counter<"outcome" | "served_by" | "role">;
  private readonly scoringSeconds: Histogram<"served_by" | "role">;
  private readonly fallbacks: Counter;
  private readonly degraded: Counter;
  private cache: PredictionCacheCounters | null = null;
  private jobFigures: { at: number; figures: Promise<JobFigures> } | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => number = Date.now,
  ) {
    const registers = [this.registry];
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
      help:
        "Classifications scored, by outcome (ok or the error code), what served them (tier, remote, ensemble, " +
        'cache) and role: "request" for a classification asked for, "member" for an ensemble member scored ' +
        'inside one (sum role="request" to count classifications)',
      labelNames: ["outcome", "served_by", "role"],
      registers,
    });
    this.scoringSeconds = new Histogram({
      name: "tessera_scoring_duration_seconds",
      help: "Time the gateway spent scoring one image (cache lookups and, for an ensemble, its members included), by role as above",
      labelNames: ["served_by", "role"],
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

  record(_versionId: string, outcome: ScoreOutcome): void {
    const seconds = outcome.gatewayMs / 1000;
    const role = outcome.member ? "member" : "request";
    if ("errorCode" in outcome) {
      this.scorings.inc({ outcome: outcome.errorCode, served_by: "none", role });
      this.scoringSeconds.observe({ served_by: "none", role }, seconds);
      return;
    }
    const servedBy = servedByKind(outcome.scored.servedBy);
    this.scorings.inc({ outcome: "ok", served_by: servedBy, role });
    this.scoringSeconds.observe({ served_by: servedBy, role }, seconds);
    if (outcome.scored.usedFallback) this.fallbacks.inc();
    if (outcome.scored.degraded) this.degraded.inc();
  }

  /** The scrape: Node's process metrics, then the gateway's own. */
  async metrics(): Promise<string> {
    const [process, own] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return `${process}\n${own}`;
  }

  get contentType(): string {
    return this.registry.contentType;
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

  /**
   * Jobs are rows shared by every replica and worker: read from the table, at most once per
   * JOB_FIGURES_TTL_MS however often (and by however many scrapers) /metrics is scraped.
   */
  private registerJobs(registers: Registry[]): void {
    const figures = () => this.readJobFigures();
    const now = this.now;
    new Gauge({
      name: "tessera_jobs",
      help: "Jobs of the job platform by kind and status (the same figures on every replica; up to 10 s old)",
      labelNames: ["kind", "status"],
      registers,
      async collect() {
        const { byStatus } = await figures();
        this.reset();
        for (const group of byStatus) this.set({ kind: group.kind, status: group.status }, group._count._all);
      },
    });
    new Gauge({
      name: "tessera_jobs_oldest_queued_seconds",
      help: "Age of the oldest QUEUED job of each kind (as of a read up to 10 s old)",
      labelNames: ["kind"],
      registers,
      async collect() {
        const { oldestQueued } = await figures();
        this.reset();
        for (const group of oldestQueued) {
          const oldest = group._min.createdAt;
          if (oldest) this.set({ kind: group.kind }, (now() - oldest.getTime()) / 1000);
        }
      },
    });
  }

  private readJobFigures(): Promise<JobFigures> {
    const now = this.now();
    if (this.jobFigures && now - this.jobFigures.at < JOB_FIGURES_TTL_MS) return this.jobFigures.figures;
    const figures = Promise.all([
      this.prisma.job.groupBy({ by: ["kind", "status"], _count: { _all: true } }),
      this.prisma.job.groupBy({ by: ["kind"], where: { status: "QUEUED" }, _min: { createdAt: true } }),
    ]).then(([byStatus, oldestQueued]) => ({ byStatus, oldestQueued }));
    const entry = { at: now, figures };
    this.jobFigures = entry;
    // A failed read is not kept: the next scrape tries again.
    figures.catch(() => {
      if (this.jobFigures === entry) this.jobFigures = null;
    });
    return figures;
  }
}

/** "tier:127.0.0.1:8001" → "tier": addresses and hosts would make a label per replica or endpoint. */
export function servedByKind(servedBy: string): string {
  return servedBy.split(":")[0] || "unknown";
}

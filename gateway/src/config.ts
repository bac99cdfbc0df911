import { isIP } from "node:net";
import path from "node:path";
import type { LogLevel } from "./logger";
import { tracingConfig, type GatewayTracingConfig } from "./tracing/tracing-config";
import { quotaDefaults, type QuotaDefaults } from "./quotas/quota-config";
import { blobStorageConfig, type BlobStorageConfig } from "./storage/blob-storage-config";
import { defaultIngestWorkers } from "./datasets/images/ingest-workers";

/** Everything the gateway reads from its environment, parsed once at start with defaults resolved. */
export interface GatewayConfig {
  port: number;
  host: string;
  dataDir: string;
  /** External PostgreSQL; null → embedded PGlite under dataDir. */
  databaseUrl: string | null;
  /** Remote inference tiers; empty → the gateway starts a local tier. */
  inferenceUrls: string[];
  /** Port of the local tier when inferenceUrls is empty. */
  inferencePort: number;
  /**
   * INFERENCE_METRICS_PORT: the local tier's Prometheus port (Triton's metric names at
   * `/metrics`); 0 (default): off. Remote tiers read their own.
   */
  inferenceMetricsPort: number;
  /** TESSERA_METRICS_TOKEN: when set, the gateway's `/metrics` asks for it as a bearer token. */
  metricsToken: string | null;
  /** Deadline of one call to the tier, failover included. */
  inferenceDeadlineMs: number;
  tritonUrl: string | null;
  adminToken: string | null;
  /** Hugging Face Hub base URL for imports. */
  hfEndpoint: string;
  hfToken: string | null;
  /**
   * TESSERA_SECRET_KEY: base64 of 32 bytes, the AES-256-GCM key of remote models' secrets; unset →
   * a key file created 0600 in dataDir (replicas that do not share dataDir must set it).
   */
  secretKey: string | null;
  limits: UploadLimits;
  /**
   * TESSERA_INGEST_THREADS: threads that analyse dataset images (decode, hash, blur, exposure),
   * shared by every upload of this process; 1–64, default the cores less one, 1 to 4.
   */
  ingestThreads: number;
  /** Lifetime of signed download URLs. */
  signedUrlTtlSeconds: number;
  /**
   * TESSERA_TRUST_PROXY: which reverse proxies' X-Forwarded-For / X-Forwarded-Proto to believe, in
   * Express's `trust proxy` syntax (`loopback`, a hop count such as `1`, or comma-separated
   * addresses/CIDRs); unset → none, and the socket's peer is the caller (rate-limit key, link scheme).
   */
  trustProxy: string | number | null;
  /**
   * TESSERA_PREDICTION_CACHE_BYTES: the prediction cache's bound, in estimated heap bytes of its
   * answers (serving/cache); default 64 MiB, at most 4 GiB, 0 turns the cache off.
   */
  predictionCacheBytes: number;
  /**
   * Unexpected errors' messages and stack traces go to clients (TESSERA_EXPOSE_ERRORS=true, for
   * debugging only); otherwise they read "Unexpected error." and carry no stack.
   */
  exposeInternalErrors: boolean;
  graphql: GraphQLLimits;
  rateLimits: RateLimits;
  deploymentLimits: DeploymentLimits;
  trainingLimits: TrainingLimits;
  trainingWorkers: TrainingWorkerConfig;
  jobs: JobsConfig;
  reconstructions: ReconstructionConfig;
  retraining: RetrainingConfig;
  scenes: SceneConfig;
  blobSweep: BlobSweepConfig;
  /** Per-user limits' defaults (TESSERA_QUOTA_*; see quotas/quota-config.ts). */
  quotas: QuotaDefaults;
  /** TESSERA_BLOB_URL and the S3 / cache / download settings (storage/blob-storage-config.ts). */
  blobStorage: BlobStorageConfig;
  /** OpenTelemetry's OTEL_* variables (@tessera/tracing) and TESSERA_TRACE_TRUST_CLIENTS; null → tracing off. */
  tracing: GatewayTracingConfig | null;
  /** LOG_LEVEL: pino level of the JSON lines on stdout; "silent" under vitest unless set. */
  logLevel: LogLevel;
}

/** Where createScene looks for COLMAP to pose photos that came without camera poses. */
export interface SceneConfig {
  /** TESSERA_COLMAP_BIN: the colmap executable; unset → `colmap` on `path`. */
  colmapBinary?: string;
  /** The PATH searched for `colmap` when no binary is named. */
  path?: string;
}

/**
 * How long an upload may take, and so what a crash can have left behind: see
 * gateway/src/blobs/blob-sweep.ts for why the grace must outlast every upload.
 */
export interface BlobSweepConfig {
  /**
   * Longest a request body may take to arrive (the HTTP server's request timeout, 408 after it).
   * A temp file of the blob store not written to for this long belongs to no upload any more.
   */
  maxUploadMs: number;
  /** A blob file that no Blob row names is removed once it is this old (at least maxUploadMs). */
  orphanGraceMs: number;
  intervalMs: number;
}

/** How many embedding jobs a process runs at once, and how soon a cancel reaches a running job. */
export interface JobsConfig {
  /** Embedding jobs this process runs at once; 0 → none (`npm run worker` processes do). */
  embeddingWorkers: number;
  /** Embedding-map projections this process runs at once (TESSERA_EMBEDDING_MAP_WORKERS; 0 → none). */
  embeddingMapWorkers: number;
  /** Feedback-adjustment fits this process runs at once (TESSERA_ADJUSTMENT_WORKERS; 0 → none). */
  adjustmentWorkers: number;
  /** How often a running job's row is read for a cancel request. */
  cancelPollMs: number;
  /** Multiplies every kind's retry backoff (TESSERA_JOB_RETRY_DELAY_FACTOR, 0.01–100). */
  retryDelayFactor: number;
}

/** Retraining: runs of fired policies, and how often policies are evaluated. */
export interface RetrainingConfig {
  /** retrain-model runs this process works at once (TESSERA_RETRAINING_WORKERS); 0 → none. */
  workers: number;
  /**
   * TESSERA_RETRAINING_INTERVAL_SECONDS: every enabled policy is evaluated once per interval,
   * across all processes together; 0 → this process evaluates none on a schedule.
   */
  intervalSeconds: number;
}

/** Reconstruction jobs: how many this process runs, and what one run may take on the tier. */
export interface ReconstructionConfig {
  /** Reconstructions this process runs at once; 0 → none (`npm run worker` processes do). */
  workers: number;
  /**
   * Largest memory estimate of one radiance-field run (grids, optimiser state, per-thread
   * gradients, frames' pixels); startReconstruction refuses more before queueing.
   */
  maxBytes: number;
  /** Worker threads of one run on the tier; with the seed, what makes a run reproducible. */
  threads: number;
}

/**
 * The training workers of this process, and how a job whose worker died is noticed — the timing
 * applies to jobs of every kind (TESSERA_TRAINING_* names kept from when only training had it).
 */
export interface TrainingWorkerConfig {
  /** Jobs this process trains at once; 0 → none (separate `npm run worker` processes do). */
  workers: number;
  /** How often a running job's heartbeat is refreshed. */
  heartbeatMs: number;
  /** A running job without a heartbeat for this long is resumed by another worker. */
  staleAfterMs: number;
  /** How often each worker process looks for such jobs. */
  sweepIntervalMs: number;
}

/** What one GraphQL operation may ask for, checked before it runs (over HTTP and WebSocket alike). */
export interface GraphQLLimits {
  maxDepth: number;
  /** Depth of `__schema`/`__type` selections, which the standard introspection query nests past maxDepth. */
  maxIntrospectionDepth: number;
  maxComplexity: number;
  /** Root fields of one mutation (and tier-bound root fields of a query), aliases and fragments expanded. */
  maxRootFields: number;
}

/** Token buckets per signed-in user (per client IP when anonymous); see graphql/rate-limits.ts. */
export interface RateLimits {
  inference: RateLimit;
  uploads: RateLimit;
  trainingStarts: RateLimit;
}

/** `perMinute` 0 → unlimited; `burst` is the bucket's size (what a client may spend at once). */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

/** What a deployment may ask for; bounds that never change are in limits.ts. */
export interface DeploymentLimits {
  /**
   * Largest preprocessing width or height: every request allocates width × height × 3 floats
   * (and more for the batch). Handed to a local tier as INFERENCE_MAX_PREPROCESSING_SIZE.
   */
  maxPreprocessingSize: number;
}

/** What one training job may ask for; startTraining refuses more before queueing. */
export interface TrainingLimits {
  maxEpochs: number;
  /** Trials of one hyperparameter search. */
  maxTrials: number;
}

export interface UploadLimits {
  /** Largest single uploaded file, aborted while streaming. */
  maxUploadBytes: number;
  maxFilesPerUpload: number;
  /** Largest image accepted for a single inference request. */
  maxImageBytes: number;
  archive: ArchiveLimits;
}

export interface ArchiveLimits {
  maxEntries: number;
  maxUncompressedBytes: number;
  /** A single entry whose uncompressed/compressed ratio exceeds this is treated as a zip bomb. */
  maxCompressionRatio: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

const GiB = 1024 ** 3;

export function loadConfig(env: Env = process.env): GatewayConfig {
  const dataDir = path.resolve(env.TESSERA_DATA_DIR || "./.tessera");
  return {
    port: integer(env, "PORT", 4000, 0, 65535),
    host: env.HOST || "127.0.0.1",
    dataDir,
    databaseUrl: env.DATABASE_URL || null,
    inferenceUrls: (env.INFERENCE_URL ?? "")
      .split(",")
      .map((url) => url.trim())
      .filter(Boolean),
    inferencePort: integer(env, "INFERENCE_PORT", 8001, 0, 65535),
    inferenceMetricsPort: integer(env, "INFERENCE_METRICS_PORT", 0, 0, 65535),
    metricsToken: env.TESSERA_METRICS_TOKEN || null,
    inferenceDeadlineMs: integer(env, "TESSERA_INFERENCE_DEADLINE_MS", 30_000, 1),
    tritonUrl: env.TRITON_URL || null,
    adminToken: adminToken(env.TESSERA_ADMIN_TOKEN),
    hfEndpoint: (env.HF_ENDPOINT || "https://huggingface.co").replace(/\/+$/, ""),
    hfToken: env.HF_TOKEN || null,
    secretKey: env.TESSERA_SECRET_KEY || null,
    limits: {
      maxUploadBytes: integer(env, "TESSERA_MAX_UPLOAD_BYTES", 2 * GiB, 1),
      maxFilesPerUpload: integer(env, "TESSERA_MAX_FILES_PER_UPLOAD", 1000, 1),
      maxImageBytes: integer(env, "TESSERA_MAX_IMAGE_BYTES", 50 * 1024 ** 2, 1),
      archive: {
        maxEntries: integer(env, "TESSERA_ZIP_MAX_ENTRIES", 100_000, 1),
        maxUncompressedBytes: integer(env, "TESSERA_ZIP_MAX_UNCOMPRESSED_BYTES", 8 * GiB, 1),
        maxCompressionRatio: integer(env, "TESSERA_ZIP_MAX_RATIO", 200, 1),
      },
    },
    ingestThreads: integer(env, "TESSERA_INGEST_THREADS", defaultIngestWorkers(), 1, 64),
    signedUrlTtlSeconds: integer(env, "TESSERA_SIGNED_URL_TTL", 900, 1),
    trustProxy: trustProxy(env.TESSERA_TRUST_PROXY),
    predictionCacheBytes: integer(env, "TESSERA_PREDICTION_CACHE_BYTES", 64 * 1024 ** 2, 0, 4 * GiB),
    // Opt-in only: NODE_ENV is unset under `npm start` and docker-compose, so it cannot decide.
    exposeInternalErrors: flag(env, "TESSERA_EXPOSE_ERRORS"),
    graphql: {
      maxDepth: integer(env, "TESSERA_GRAPHQL_MAX_DEPTH", 12, 1),
      maxIntrospectionDepth: integer(env, "TESSERA_GRAPHQL_MAX_INTROSPECTION_DEPTH", 20, 1),
      maxComplexity: integer(env, "TESSERA_GRAPHQL_MAX_COMPLEXITY", 20_000, 1),
      maxRootFields: integer(env, "TESSERA_GRAPHQL_MAX_ROOT_FIELDS", 20, 1),
    },
    rateLimits: {
      inference: rateLimit(env, "TESSERA_RATE_LIMIT_INFERENCE", 600, 120),
      uploads: rateLimit(env, "TESSERA_RATE_LIMIT_UPLOADS", 60, 20),
      trainingStarts: rateLimit(env, "TESSERA_RATE_LIMIT_TRAINING_STARTS", 30, 10),
    },
    deploymentLimits: {
      maxPreprocessingSize: integer(env, "TESSERA_MAX_PREPROCESSING_SIZE", 4096, 1, 65_535),
    },
    trainingLimits: {
      // The tier runs at most 100,000 epochs (inference/src/limits.ts).
      maxEpochs: integer(env, "TESSERA_MAX_EPOCHS", 1000, 1, 100_000),
      maxTrials: integer(env, "TESSERA_MAX_TRIALS", 100, 1),
    },
    trainingWorkers: {
      workers: integer(env, "TESSERA_TRAINING_WORKERS", 1, 0, 64),
      heartbeatMs: integer(env, "TESSERA_TRAINING_HEARTBEAT_MS", 3_000, 100),
      staleAfterMs: integer(env, "TESSERA_TRAINING_STALE_MS", 30_000, 500),
      sweepIntervalMs: integer(env, "TESSERA_TRAINING_SWEEP_MS", 10_000, 100),
    },
    jobs: {
      embeddingWorkers: integer(env, "TESSERA_EMBEDDING_WORKERS", 1, 0, 64),
      embeddingMapWorkers: integer(env, "TESSERA_EMBEDDING_MAP_WORKERS", 1, 0, 64),
      adjustmentWorkers: integer(env, "TESSERA_ADJUSTMENT_WORKERS", 1, 0, 64),
      cancelPollMs: integer(env, "TESSERA_JOB_CANCEL_POLL_MS", 500, 50, 1_000),
      retryDelayFactor: decimal(env, "TESSERA_JOB_RETRY_DELAY_FACTOR", 1, 0.01, 100),
    },
    retraining: {
      workers: integer(env, "TESSERA_RETRAINING_WORKERS", 1, 0, 64),
      intervalSeconds: integer(env, "TESSERA_RETRAINING_INTERVAL_SECONDS", 300, 0, 86_400),
    },
    reconstructions: {
      workers: integer(env, "TESSERA_RECONSTRUCTION_WORKERS", 1, 0, 64),
      maxBytes: integer(env, "TESSERA_RECONSTRUCTION_MAX_BYTES", 4 * GiB, 2 ** 20),
      threads: integer(env, "TESSERA_RECONSTRUCTION_THREADS", 2, 1, 64),
    },
    scenes: { colmapBinary: env.TESSERA_COLMAP_BIN || undefined, path: env.PATH },
    blobSweep: blobSweepConfig(env),
    quotas: quotaDefaults(env, ConfigError),
    blobStorage: blobStorageConfig(env, dataDir, (message) => new ConfigError(message)),
    tracing: tracingConfig(env),
    logLevel: logLevel(env),
  };
}

const logLevels: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function logLevel(env: Env): LogLevel {
  const raw = env.LOG_LEVEL;
  if (!raw) return env.VITEST ? "silent" : "info";
  const level = logLevels.find((known) => known === raw);
  if (!level) throw new ConfigError(`LOG_LEVEL must be one of ${logLevels.join(", ")}, got "${raw}"`);
  return level;
}

function blobSweepConfig(env: Env): BlobSweepConfig {
  const maxUploadSeconds = integer(env, "TESSERA_MAX_UPLOAD_SECONDS", 3600, 1);
  const graceSeconds = integer(env, "TESSERA_ORPHAN_BLOB_GRACE_SECONDS", 24 * 3600, 1);
  if (graceSeconds < maxUploadSeconds) {
    throw new ConfigError(
      `TESSERA_ORPHAN_BLOB_GRACE_SECONDS (${graceSeconds}) must be at least TESSERA_MAX_UPLOAD_SECONDS ` +
        `(${maxUploadSeconds}): a shorter grace would remove the files of uploads still running`,
    );
  }
  return {
    maxUploadMs: maxUploadSeconds * 1000,
    orphanGraceMs: graceSeconds * 1000,
    intervalMs: integer(env, "TESSERA_BLOB_SWEEP_SECONDS", 3600, 1) * 1000,
  };
}

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

/** A finite number within [min, max]; unset or empty → the fallback. */
function decimal(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

/** `true` or `false`; unset or empty → false, anything else is refused rather than guessed. */
function flag(env: Env, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "" || raw === "false") return false;
  if (raw === "true") return true;
  throw new ConfigError(`${name} must be "true" or "false", got "${raw}"`);
}

/** `<NAME>` per minute (0 → unlimited) and `<NAME>_BURST`. */
function rateLimit(env: Env, name: string, perMinute: number, burst: number): RateLimit {
  return { perMinute: integer(env, name, perMinute, 0), burst: integer(env, `${name}_BURST`, burst, 1) };
}

// The admin token is any string a person chose; this length is what makes guessing it hopeless.
const MIN_ADMIN_TOKEN_LENGTH = 32;

function adminToken(raw: string | undefined): string | null {
  if (!raw) return null;
  if (raw.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(raw)) {
    throw new ConfigError(
      `TESSERA_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters without spaces, got ${raw.length}; ` +
        "make one with `openssl rand -base64 32`, or leave it unset to have a token generated and printed once",
    );
  }
  return raw;
}

/** A hop count stays a number (Express reads "1" as an address otherwise); anything else is passed as is. */
function trustProxy(raw: string | undefined): string | number | null {
  const value = raw?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 32)
      throw new ConfigError(`TESSERA_TRUST_PROXY must be a hop count from 1 to 32, got ${value}`);
    return hops;
  }
  // Checked here item by item as Express reads them, whose own error (`invalid IP address: true`)
  // would not name the variable.
  for (const item of value.split(",").map((part) => part.trim())) {
    if (!isTrustedProxyItem(item)) {
      throw new ConfigError(
        `TESSERA_TRUST_PROXY must be a hop count from 1 to 32, or comma-separated items each loopback, ` +
          `linklocal, uniquelocal, an IP address or an address/prefix (10.0.0.0/8); got ${JSON.stringify(item)} in ${JSON.stringify(value)}`,
      );
    }
  }
  return value;
}

/** One item of Express's `trust proxy` list: a named range, an IP, or IP/prefix (1–32 for IPv4, 1–128 for IPv6). */
function isTrustedProxyItem(item: string): boolean {
  if (item === "loopback" || item === "linklocal" || item === "uniquelocal") return true;
  const [address = "", prefix, ...rest] = item.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  const bits = Number(prefix);
  return bits >= 1 && bits <= (family === 4 ? 32 : 128);
}

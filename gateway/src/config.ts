import { randomBytes } from "node:crypto";
import path from "node:path";

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
  /** Deadline of one call to the tier, failover included. */
  inferenceDeadlineMs: number;
  tritonUrl: string | null;
  adminToken: string | null;
  /** Hugging Face Hub base URL for imports. */
  hfEndpoint: string;
  hfToken: string | null;
  limits: UploadLimits;
  /** Lifetime of signed download URLs. */
  signedUrlTtlSeconds: number;
  /** Mask unexpected errors ("Unexpected error.") unless developing. */
  exposeInternalErrors: boolean;
  graphql: { maxDepth: number; maxComplexity: number };
  trainingLimits: TrainingLimits;
  trainingWorkers: TrainingWorkerConfig;
}

/** The training workers of this process, and how a job whose worker died is noticed. */
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
    inferenceDeadlineMs: integer(env, "TESSERA_INFERENCE_DEADLINE_MS", 30_000, 1),
    tritonUrl: env.TRITON_URL || null,
    adminToken: env.TESSERA_ADMIN_TOKEN || null,
    hfEndpoint: (env.HF_ENDPOINT || "https://huggingface.co").replace(/\/+$/, ""),
    hfToken: env.HF_TOKEN || null,
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
    signedUrlTtlSeconds: integer(env, "TESSERA_SIGNED_URL_TTL", 900, 1),
    exposeInternalErrors: env.NODE_ENV === "development",
    graphql: {
      maxDepth: integer(env, "TESSERA_GRAPHQL_MAX_DEPTH", 12, 1),
      maxComplexity: integer(env, "TESSERA_GRAPHQL_MAX_COMPLEXITY", 20_000, 1),
    },
    trainingLimits: {
      maxEpochs: integer(env, "TESSERA_MAX_EPOCHS", 1000, 1),
      maxTrials: integer(env, "TESSERA_MAX_TRIALS", 100, 1),
    },
    trainingWorkers: {
      workers: integer(env, "TESSERA_TRAINING_WORKERS", 1, 0, 64),
      heartbeatMs: integer(env, "TESSERA_TRAINING_HEARTBEAT_MS", 3_000, 100),
      staleAfterMs: integer(env, "TESSERA_TRAINING_STALE_MS", 30_000, 500),
      sweepIntervalMs: integer(env, "TESSERA_TRAINING_SWEEP_MS", 10_000, 100),
    },
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

/** A fresh opaque secret: a recognisable prefix plus 256 random bits. */
export function generateSecret(prefix = "tsr_"): string {
  return prefix + randomBytes(32).toString("base64url");
}

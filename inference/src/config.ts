import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { GrpcAddressError, parseGrpcAddress, type GrpcAddress } from "@tessera/proto/address";
import { executionProviderNames, type ExecutionProvider } from "./runtime/tessera-parameters";
import {
  defaultConfigurableLimits as defaults,
  limits as fixedLimits,
  type ConfigurableLimits,
} from "./limits";

/** Everything the tier reads from its environment, parsed once at start with defaults resolved. */
export interface TierConfig {
  host: string;
  /** 0 picks a free port; the tier reports the one it got to a parent process (see parent-messages). */
  port: number;
  /**
   * Prometheus metrics (`GET /metrics`, Triton's metric names) on this HTTP port of `host`
   * (INFERENCE_METRICS_PORT; default 0: off). Triton uses 8002.
   */
  metricsPort: number;
  /**
   * The onnxruntime execution providers models may use, in order of preference
   * (INFERENCE_EXECUTION_PROVIDERS, e.g. "cuda,cpu"; default "cpu"). Checked at start: see
   * runtime/execution-providers.ts.
   */
  executionProviders: ExecutionProvider[];
  /** A Triton server (KServe v2 gRPC) that models marked "tessera.hosted_on": "triton" live on. */
  triton: GrpcAddress | null;
  /** The Triton-layout folder loaded models are written to (`<name>/<version>/model.onnx`). */
  cacheDir: string;
  /** Requests waiting per model version when its configuration sets no max_queue_size. */
  defaultMaxQueueSize: number;
  /** max_batch_size for models that batch when their configuration leaves it out. */
  defaultMaxBatchSize: number;
  logLevel: string;
  /** Largest gRPC message in either direction: model files arrive inside RepositoryModelLoad. */
  maxMessageBytes: number;
  /** How long in-flight calls may finish on shutdown before they are cut. */
  shutdownGraceMs: number;
  /**
   * Whether clients on the same host may register system shared memory and pass tensors through
   * it (INFERENCE_ALLOW_CLIENT_SHM, "true" or "false"; default false), as Triton's
   * --allow-client-shm. See kserve/system-shared-memory.ts.
   */
  allowClientShm: boolean;
  /** The bounds an operator may move; the fixed ones are in limits.ts. */
  limits: ConfigurableLimits;
  training: TrainingCacheConfig;
  reconstruction: ReconstructionConfig;
}

/** How much of the machine one reconstruction run may take. */
export interface ReconstructionConfig {
  /**
   * Worker threads of a radiance-field run whose request asks for 0
   * (INFERENCE_RECONSTRUCTION_THREADS; default: the cores available, at most 8).
   */
  threads: number;
  /**
   * A run whose memory estimate (estimateRadianceFieldBytes) is over this is refused with
   * RESOURCE_EXHAUSTED before anything is allocated (TESSERA_RECONSTRUCTION_MAX_BYTES, bytes;
   * default 4 GiB). The gateway reads the same variable to refuse it before queueing.
   */
  maxBytes: number;
}

/** Where and how much the training service keeps between calls (and across restarts). */
export interface TrainingCacheConfig {
  /** Staged training images and extracted features; `<cacheDir>/@training` unless set. */
  dir: string;
  /** Staged images on disk; the least recently used are removed past this. */
  imageCacheBytes: number;
  /** Extracted feature vectors kept in memory. */
  featureMemoryBytes: number;
  /** Extracted feature vectors kept on disk, so a resumed run after a restart reuses them. */
  featureDiskBytes: number;
  /** Images handed to the base model per extraction call (one FeatureProgress event each). */
  featureBatchSize: number;
}

export class TierConfigError extends Error {
  override name = "TierConfigError";
}

type Env = Record<string, string | undefined>;

const MiB = 1024 ** 2;
/** Threads a reconstruction request may ask for: each holds a gradient buffer as large as the grids. */
export const maxReconstructionThreads = 64;
const GiB = 1024 ** 3;

export function loadTierConfig(env: Env = process.env): TierConfig {
  const cacheDir = path.resolve(env.INFERENCE_CACHE_DIR || path.join(tmpdir(), "tessera-tier-cache"));
  return {
    host: env.INFERENCE_HOST || "127.0.0.1",
    port: integer(env, "INFERENCE_PORT", 8001, 0, 65535),
    metricsPort: integer(env, "INFERENCE_METRICS_PORT", 0, 0, 65535),
    executionProviders: executionProviders(env.INFERENCE_EXECUTION_PROVIDERS),
    triton: tritonAddress(env.TRITON_URL),
    cacheDir,
    defaultMaxQueueSize: integer(env, "INFERENCE_MAX_QUEUE_SIZE", 1000, 1),
    defaultMaxBatchSize: integer(
      env,
      "INFERENCE_DEFAULT_MAX_BATCH_SIZE",
      8,
      1,
      fixedLimits.model.maxBatchSize,
    ),
    logLevel: logLevelFrom(env),
    // gRPC lengths are signed 32-bit: 2 GiB - 1 is the most a message can be.
    maxMessageBytes: integer(env, "INFERENCE_MAX_MESSAGE_BYTES", 2 * GiB - 1, 1024, 2 * GiB - 1),
    shutdownGraceMs: integer(env, "INFERENCE_SHUTDOWN_GRACE_MS", 5000, 0),
    allowClientShm: flag(env, "INFERENCE_ALLOW_CLIENT_SHM", false),
    limits: {
      maxPreprocessingSize: integer(
        env,
        "INFERENCE_MAX_PREPROCESSING_SIZE",
        defaults.maxPreprocessingSize,
        1,
        65_535,
      ),
      maxTensorBytes: integer(env, "INFERENCE_MAX_TENSOR_BYTES", defaults.maxTensorBytes, 1024, 2 * GiB - 1),
    },
    training: {
      // "@" cannot start a model name, so no model folder of the Triton layout can collide.
      dir: path.resolve(env.INFERENCE_TRAINING_CACHE_DIR || path.join(cacheDir, "@training")),
      imageCacheBytes: integer(env, "INFERENCE_TRAINING_IMAGE_CACHE_BYTES", 4 * GiB, MiB),
      featureMemoryBytes: integer(env, "INFERENCE_FEATURE_CACHE_MEMORY_BYTES", 512 * MiB, 0),
      featureDiskBytes: integer(env, "INFERENCE_FEATURE_CACHE_DISK_BYTES", 2 * GiB, 0),
      featureBatchSize: integer(env, "INFERENCE_FEATURE_BATCH_SIZE", 32, 1, 4096),
    },
    reconstruction: {
      threads: integer(
        env,
        "INFERENCE_RECONSTRUCTION_THREADS",
        Math.min(availableParallelism(), 8),
        1,
        maxReconstructionThreads,
      ),
      maxBytes: integer(env, "TESSERA_RECONSTRUCTION_MAX_BYTES", 4 * GiB, MiB),
    },
  };
}

/** "cuda,cpu" → ["cuda", "cpu"]; an unknown or repeated name is refused with the variable named. */
function executionProviders(text: string | undefined): ExecutionProvider[] {
  if (text === undefined || text.trim() === "") return ["cpu"];
  const names = text.split(",").map((name) => name.trim().toLowerCase());
  const known: readonly string[] = executionProviderNames;
  for (const name of names) {
    if (!known.includes(name)) {
      throw new TierConfigError(
        `INFERENCE_EXECUTION_PROVIDERS names "${name}"; use a comma-separated list of ${executionProviderNames.join(", ")} in order of preference`,
      );
    }
  }
  if (new Set(names).size !== names.length) {
    throw new TierConfigError(
      `INFERENCE_EXECUTION_PROVIDERS names a provider twice ("${text}"); list each once`,
    );
  }
  return names as ExecutionProvider[];
}

function tritonAddress(url: string | undefined): GrpcAddress | null {
  if (!url) return null;
  try {
    return parseGrpcAddress(url);
  } catch (error) {
    if (error instanceof GrpcAddressError) throw new TierConfigError(`TRITON_URL: ${error.message}`);
    throw error;
  }
}

/** Tests run quiet unless LOG_LEVEL asks otherwise. */
export function logLevelFrom(env: Env = process.env): string {
  return env.LOG_LEVEL || (env.VITEST ? "silent" : "info");
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
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `between ${min} and ${max}`;
    throw new TierConfigError(`${name} must be an integer ${range}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true" || raw === "false") return raw === "true";
  throw new TierConfigError(`${name} must be "true" or "false", got "${raw}"`);
}

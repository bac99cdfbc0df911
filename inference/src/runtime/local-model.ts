import { availableParallelism } from "node:os";
import type { TierLogger } from "../logger";
import { DynamicBatcher } from "./batcher";
import { providersForModel } from "./execution-providers";
import { unavailable } from "./errors";
import type { ModelSettings } from "./model-config";
import type { ModelDescription, Tensor } from "./model-runner";
import { completeSignature, type ModelSignature } from "./model-signature";
import type { VersionStatistics } from "./model-statistics";
import { featuresMetadataKey, readOnnxMetadata } from "./onnx-metadata";
import { describeModel, type ServingModel } from "./serving-model";
import { SessionPool } from "./session-pool";
import type { ExecutionProvider } from "./tessera-parameters";

export interface LocalModelOptions {
  settings: ModelSettings;
  version: string;
  modelPath: string;
  statistics: VersionStatistics;
  /** max_batch_size when the configuration leaves it to a model that batches. */
  defaultMaxBatchSize: number;
  /** The providers the tier was started with (INFERENCE_EXECUTION_PROVIDERS, after its check). */
  tierProviders: readonly ExecutionProvider[];
  logger: TierLogger;
}

/** A model version the tier runs itself: a pool of onnxruntime sessions behind a dynamic batcher. */
export class LocalModel implements ServingModel {
  private readonly batcher: DynamicBatcher;
  /** Why the version can no longer run, once its last instance stopped. */
  private broken: string | null = null;

  private constructor(
    readonly settings: ModelSettings,
    readonly signature: ModelSignature,
    readonly description: ModelDescription,
    readonly statistics: VersionStatistics,
    private readonly pool: SessionPool,
    logger: TierLogger,
  ) {
    const label = `model "${settings.name}" version ${description.version}`;
    this.batcher = new DynamicBatcher({
      label,
      executor: pool,
      maxBatchSize: signature.maxBatchSize,
      dynamicBatching: signature.dynamicBatching,
      maxQueueSize: settings.maxQueueSize,
      inputNames: signature.inputs.map((input) => input.name),
      outputNames: signature.outputs.map((output) => output.name),
      statistics,
    });
    pool.onInstanceLost((reason) => {
      logger.error({ model: settings.name, version: description.version, instances: pool.size }, reason);
      if (pool.size > 0) return;
      this.broken = `${label} has no running instance left: ${reason}; load it again`;
      this.batcher.failQueued(this.broken);
    });
  }

  /** Loads the sessions; rejects with ModelLoadError carrying onnxruntime's or the configuration's reason. */
  static async open(options: LocalModelOptions): Promise<LocalModel> {
    const { settings, version, logger } = options;
    const pool = await SessionPool.open({
      modelPath: options.modelPath,
      instanceCount: settings.instanceCount,
      executionProviders: executionProvidersFor(settings, options.tierProviders),
      intraOpThreads: intraOpThreadsFor(settings),
    });
    try {
      const signature = completeSignature(settings, pool.metadata, options.defaultMaxBatchSize);
      const metadata = await readOnnxMetadata(options.modelPath);
      const description = describeModel(settings, signature, version, metadata[featuresMetadataKey]);
      const context = { model: settings.name, version };
      for (const fallback of pool.fallbacks)
        logger.warn(context, `execution provider ${fallback}; using the next one`);
      for (const output of signature.skippedOutputs) {
        logger.warn(context, `output "${output}" is not a numeric tensor and is not served`);
      }
      logger.info({ ...context, providers: pool.providers, instances: pool.size }, "model version ready");
      return new LocalModel(settings, signature, description, options.statistics, pool, logger);
    } catch (error) {
      await pool.close();
      throw error;
    }
  }

  infer(inputs: Record<string, Tensor>, outputs: readonly string[], signal?: AbortSignal) {
    if (this.broken) return Promise.reject(unavailable(this.broken));
    return this.batcher.submit(inputs, outputs, signal);
  }

  queueLength(): number {
    return this.batcher.queueLength;
  }

  async close(): Promise<void> {
    await this.batcher.drain();
    await this.pool.close();
  }
}

/**
 * tessera.intra_op_threads when set; otherwise the cores divided among the instances. The tier's
 * gRPC thread needs a share of the cores too, but it is busy only between runs and while requests
 * arrive; with dynamic batching, batches (not more threads competing for the same cores) are what
 * raise throughput, so instances together never ask for more threads than there are cores.
 */
function intraOpThreadsFor(settings: ModelSettings): number {
  return (
    settings.tessera.intraOpThreads ??
    Math.max(1, Math.floor(availableParallelism() / settings.instanceCount))
  );
}

/**
 * The configured order, else by instance kind (KIND_GPU: CUDA first, KIND_CPU: the CPU), kept to
 * the providers the tier has; KIND_AUTO without a list, or a list of providers the tier lacks,
 * takes the tier's own order, so INFERENCE_EXECUTION_PROVIDERS decides for models that do not.
 */
function executionProvidersFor(settings: ModelSettings, tier: readonly ExecutionProvider[]): string[] {
  const byKind: Record<ModelSettings["instanceKind"], ExecutionProvider[] | null> = {
    KIND_GPU: ["cuda", "cpu"],
    KIND_CPU: ["cpu"],
    KIND_AUTO: null,
  };
  return providersForModel(settings.tessera.executionProviders ?? byKind[settings.instanceKind], tier);
}

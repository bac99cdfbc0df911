import { tierFailed, tierListening } from "@tessera/proto/parent-messages";
import { loadTasks } from "@tessera/proto/tasks";
import { tracingConfig } from "@tessera/tracing";
import { startTracing, type Tracing } from "@tessera/tracing/start";
import { loadTierConfig, logLevelFrom, type TierConfig } from "./config";
import { defaultImageLimits } from "./images/decode-image";
import { createTierLogger, routeGrpcLogs, type TierLogger } from "./logger";
import { startMetricsServer, type MetricsServer } from "./metrics/metrics-server";
import { tritonMetricsRegistry } from "./metrics/triton-metrics";
import { reconstructionTierService } from "./reconstruction/service/tier-service";
import { startTierServer, type RunningTier, type TierServiceFactory } from "./server";
import { FeatureEmbedder } from "./tasks/embedding/feature-embedder";
import { createTaskServicer } from "./tasks/task-service";
import { trainingTierService } from "./training/service/tier-service";
import { openTrainingCaches } from "./training/service/training-context";

/** The inference tier as its own process: `node --import tsx inference/src/main.ts`. */
async function main(): Promise<void> {
  // A parent that dies without signalling (SIGKILL, crash) closes the IPC channel: the tier must
  // not outlive it and keep the port, even if that happens while it is still starting.
  let stop: (reason: string) => void = () => process.exit(0);
  process.once("disconnect", () => stop("parent exit"));
  let config: TierConfig;
  try {
    config = loadTierConfig();
  } catch (error) {
    return exitFailed(createTierLogger(logLevelFrom()), error);
  }
  const logger = createTierLogger(config.logLevel);
  routeGrpcLogs(logger);
  let tracing: Tracing;
  try {
    // Before the server starts: its interceptor traces only if tracing is on by then.
    tracing = startTracing(tracingConfig(process.env), logger, "tessera-tier");
  } catch (error) {
    return exitFailed(logger, error);
  }

  const embedder = new FeatureEmbedder();
  // Starts the descriptor workers now, so the first Embed request does not wait for them. A tier
  // stopped while warming refuses the warm-up's queued jobs: nothing is lost, nothing to report.
  embedder.warmUp().catch(() => {});
  // Classify, Embed, EstimateDepth and Segment, on the same port as KServe.
  const taskService: TierServiceFactory = ({ runner, logger }) => ({
    definition: loadTasks().TaskService.service,
    implementation: createTaskServicer(runner, embedder, logger, {
      imageLimits: { ...defaultImageLimits, maxTensorBytes: config.limits.maxTensorBytes },
    }),
  });
  let tier: RunningTier;
  let metrics: MetricsServer | null = null;
  try {
    // MissingImages, PutImages, Train and ExportModel, over caches kept across restarts.
    const training = trainingTierService(config, embedder, await openTrainingCaches(config.training));
    // Reconstruct: radiance fields, depth meshes and the generative backends' meshes.
    const reconstruction = reconstructionTierService(config, embedder);
    tier = await startTierServer(config, logger, [taskService, training, reconstruction]);
    if (config.metricsPort > 0) {
      const models = tier.dataPlane.models;
      const registry = tritonMetricsRegistry(() => models.statistics("", ""));
      metrics = await startMetricsServer(registry, config.host, config.metricsPort).catch((error: Error) => {
        throw new Error(`Cannot serve metrics on port ${config.metricsPort}: ${error.message}`);
      });
      logger.info({ port: metrics.port }, `Prometheus metrics on ${config.host}:${metrics.port}/metrics`);
    }
  } catch (error) {
    return exitFailed(logger, error);
  }
  stop = (reason: string) => {
    logger.info({ reason }, `stopping on ${reason}`);
    void tier
      .shutdown()
      .then(() => metrics?.close())
      .then(() => embedder.close())
      .then(() => tracing.shutdown())
      .then(() => process.exit(0));
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  if (!process.connected && process.send) return stop("parent exit");
  // Only now: a parent may signal as soon as it hears this.
  process.send?.(tierListening(tier.host, tier.port));
}

/** Logs why the tier cannot start, tells a parent the same, and exits 1. */
function exitFailed(logger: TierLogger, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  logger.fatal({ err: error }, reason);
  if (process.send) process.send(tierFailed(reason), () => process.exit(1));
  else process.exit(1);
}

void main();

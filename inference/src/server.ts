import * as grpc from "@grpc/grpc-js";
import { loadKServe } from "@tessera/proto/kserve";
import type { TierConfig } from "./config";
import { DataPlane } from "./kserve/data-plane";
import { flowControlWindowBytes, widenFlowControlWindow } from "./kserve/flow-control";
import { createKServeServicer } from "./kserve/servicer";
import { SystemSharedMemory } from "./kserve/system-shared-memory";
import { TritonForwarding } from "./kserve/triton-forwarding";
import type { TierLogger } from "./logger";
import { ModelCache } from "./runtime/model-cache";
import { ModelRepository } from "./runtime/model-repository";
import type { ModelRunner } from "./runtime/model-runner";
import { traceTierCalls } from "./tracing/grpc-server-tracing";
import { checkExecutionProviders, type TierProviders } from "./runtime/execution-providers";
import { tierStatusService } from "./status/tier-status";

export class TierStartError extends Error {
  override name = "TierStartError";
}

/** A gRPC service served beside KServe's (the task services), built over the tier's model runner. */
export interface TierService {
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export type TierServiceFactory = (tier: {
  runner: ModelRunner;
  /** The versions loaded, for services that need more than inference (training reads model files). */
  models: ModelRepository;
  logger: TierLogger;
}) => TierService;

/** A tier serving gRPC; `shutdown` drains it. */
export interface RunningTier {
  host: string;
  /** The port bound, which differs from the configured one when that was 0. */
  port: number;
  dataPlane: DataPlane;
  /** The execution providers models run with, after the start-up check. */
  providers: TierProviders;
  /** Inference on the models loaded, with the same validation and batching as ModelInfer. */
  runner: ModelRunner;
  shutdown(): Promise<void>;
}

export async function startTierServer(
  config: TierConfig,
  logger: TierLogger,
  services: readonly TierServiceFactory[] = [],
): Promise<RunningTier> {
  const providers = await checkExecutionProviders(config.executionProviders).catch((error: Error) => {
    throw new TierStartError(error.message);
  });
  for (const fallback of providers.fallbacks) {
    logger.warn(
      { providers: providers.providers },
      `execution provider ${fallback}; models run on the next one`,
    );
  }
  const models = new ModelRepository({
    cache: new ModelCache(config.cacheDir),
    logger,
    defaultMaxQueueSize: config.defaultMaxQueueSize,
    defaultMaxBatchSize: config.defaultMaxBatchSize,
    maxPreprocessingSize: config.limits.maxPreprocessingSize,
    triton: config.triton && new TritonForwarding(config.triton, config.maxMessageBytes),
    executionProviders: providers.providers,
  });
  const dataPlane = new DataPlane(models);
  const sharedMemory = new SystemSharedMemory(config.allowClientShm);
  const server = new grpc.Server({
    "grpc.max_receive_message_length": config.maxMessageBytes,
    "grpc.max_send_message_length": config.maxMessageBytes,
    interceptors: traceTierCalls(),
  });
  server.addService(
    loadKServe().GRPCInferenceService.service,
    createKServeServicer(dataPlane, logger, config.limits.maxTensorBytes, sharedMemory),
  );
  const status = tierStatusService(dataPlane, providers);
  server.addService(status.definition, status.implementation);
  for (const factory of services) {
    const service = factory({ runner: dataPlane.runner, models, logger });
    server.addService(service.definition, service.implementation);
  }

  const address = `${config.host.includes(":") ? `[${config.host}]` : config.host}:${config.port}`;
  const port = await bind(server, address).catch(async (error: unknown) => {
    await models.close();
    throw error;
  });
  if (!widenFlowControlWindow(server, flowControlWindowBytes)) {
    logger.warn(
      "cannot widen the HTTP/2 flow-control window (grpc-js internals changed); large requests are slower",
    );
  }
  dataPlane.startAccepting();
  logger.info(
    { host: config.host, port, device: providers.device, executionProviders: providers.providers },
    `inference tier listening on ${config.host}:${port}`,
  );

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= drain(server, dataPlane, config.shutdownGraceMs, logger).then(() => sharedMemory.close()));
  return { host: config.host, port, dataPlane, providers, runner: dataPlane.runner, shutdown };
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => {
      if (!error) return resolve(port);
      const inUse = /EADDRINUSE/.test(error.message);
      reject(
        new TierStartError(
          inUse
            ? `Cannot listen on ${address}: the address is already in use. Stop the process using it or set INFERENCE_PORT to a free port.`
            : `Cannot listen on ${address}: ${error.message}`,
        ),
      );
    });
  });
}

/**
 * Turns readiness off first, lets calls in flight finish for up to `graceMs`, then cuts the rest
 * and releases the models' sessions.
 */
async function drain(server: grpc.Server, dataPlane: DataPlane, graceMs: number, logger: TierLogger) {
  dataPlane.stopAccepting();
  logger.info({ graceMs }, "inference tier shutting down");
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => {
      logger.warn({ graceMs }, "calls still running after the grace period; cutting them");
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
  await dataPlane.models.close();
  logger.info("inference tier stopped");
}

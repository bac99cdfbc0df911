import type { GatewayConfig } from "../config";
import type { Logger } from "../logger";
import { startLocalTier } from "./local-tier";
import { TierClient, type TierClientOptions } from "./tier-client";
import { localTierTracingEnv } from "../tracing/local-tier-tracing";

/** The gateway's way to the inference tier, and what to stop on shutdown. */
export interface TierHandle {
  client: TierClient;
  /** Closes the client, then stops the local tier if the gateway started one. */
  stop(): Promise<void>;
}

export type TierTuning = Pick<TierClientOptions, "deadlineMs" | "probeIntervalMs" | "probeTimeoutMs">;

/**
 * With INFERENCE_URL set, a client over those tiers; without, a tier started as a child process
 * on INFERENCE_PORT and a client over it. Resolves once a local tier answers ServerReady; remote
 * tiers are not waited for (GET /healthz reports them).
 */
export async function startTier(
  config: GatewayConfig,
  logger: Logger,
  tuning: TierTuning = {},
): Promise<TierHandle> {
  if (config.inferenceUrls.length > 0) {
    const client = new TierClient({ urls: config.inferenceUrls, logger, ...tuning });
    return { client, stop: async () => client.close() };
  }
  const local = await startLocalTier({
    port: config.inferencePort,
    tritonUrl: config.tritonUrl,
    logger,
    // The tier checks deployments and reconstructions again; it must allow what the gateway allows.
    env: {
      INFERENCE_MAX_PREPROCESSING_SIZE: String(config.deploymentLimits.maxPreprocessingSize),
      TESSERA_RECONSTRUCTION_MAX_BYTES: String(config.reconstructions.maxBytes),
      INFERENCE_METRICS_PORT: String(config.inferenceMetricsPort),
      ...localTierTracingEnv(config.tracing),
    },
  });
  const client = new TierClient({ urls: [local.url], logger, ...tuning });
  return {
    client,
    stop: async () => {
      client.close();
      await local.stop();
    },
  };
}

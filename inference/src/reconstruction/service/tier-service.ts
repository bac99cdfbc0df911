import { loadReconstruction } from "@tessera/proto/reconstruction";
import { maxReconstructionThreads, type TierConfig } from "../../config";
import { defaultImageLimits } from "../../images/decode-image";
import type { TierServiceFactory } from "../../server";
import type { FeatureEmbedder } from "../../tasks/embedding/feature-embedder";
import { createReconstructionServicer } from "./reconstruction-service";

/** ReconstructionService as one of the tier's services, on the same port as KServe and the tasks. */
export function reconstructionTierService(config: TierConfig, embedder: FeatureEmbedder): TierServiceFactory {
  const imageLimits = { ...defaultImageLimits, maxTensorBytes: config.limits.maxTensorBytes };
  return ({ runner, models, logger }) => ({
    definition: loadReconstruction().ReconstructionService.service,
    implementation: createReconstructionServicer({
      tasks: { runner, embedder, imageLimits },
      generative: {
        runner,
        models,
        triton: config.triton,
        maxMessageBytes: config.maxMessageBytes,
        imageLimits,
      },
      radianceField: {
        defaultThreads: config.reconstruction.threads,
        maxThreads: maxReconstructionThreads,
        maxBytes: config.reconstruction.maxBytes,
      },
      logger,
    }),
  });
}

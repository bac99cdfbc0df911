import { loadTraining } from "@tessera/proto/training";
import type { TierConfig } from "../../config";
import { defaultImageLimits } from "../../images/decode-image";
import { ModelCache } from "../../runtime/model-cache";
import type { TierServiceFactory } from "../../server";
import type { FeatureEmbedder } from "../../tasks/embedding/feature-embedder";
import { readRepositoryModel } from "../export/repository-model";
import type { TrainingCaches } from "./training-context";
import { createTrainingServicer } from "./training-service";

/** TrainingService as one of the tier's services, on the same port as KServe and the tasks. */
export function trainingTierService(
  config: TierConfig,
  embedder: FeatureEmbedder,
  caches: TrainingCaches,
): TierServiceFactory {
  // The tier writes every model it loads here; export reads a base's graph back from it.
  const modelFiles = new ModelCache(config.cacheDir);
  return ({ runner, models, logger }) => ({
    definition: loadTraining().TrainingService.service,
    implementation: createTrainingServicer({
      ...caches,
      tasks: {
        runner,
        embedder,
        imageLimits: { ...defaultImageLimits, maxTensorBytes: config.limits.maxTensorBytes },
      },
      featureBatchSize: config.training.featureBatchSize,
      readModelFile: (model) => readRepositoryModel(models, modelFiles, model),
      logger,
    }),
  });
}

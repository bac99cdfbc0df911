import path from "node:path";
import type { TrainingCacheConfig } from "../../config";
import type { TierLogger } from "../../logger";
import type { TaskContext } from "../../tasks/task-context";
import { FeatureCache } from "./feature-cache";
import { TrainingImageCache } from "./image-cache";

/** The caches the training service keeps across calls and restarts. */
export interface TrainingCaches {
  images: TrainingImageCache;
  features: FeatureCache;
}

/** What every training call works with. */
export interface TrainingContext extends TrainingCaches {
  /** The models, the built-in embedder and the image limits the bases read features with. */
  tasks: TaskContext;
  featureBatchSize: number;
  /** The ONNX file of a model version the tier serves: export builds on its graph. */
  readModelFile(model: { name: string; version: string }): Promise<Uint8Array>;
  logger: TierLogger;
}

/** Opens (and indexes) the image and feature caches under `config.dir`. */
export async function openTrainingCaches(config: TrainingCacheConfig): Promise<TrainingCaches> {
  const [images, features] = await Promise.all([
    TrainingImageCache.open(path.join(config.dir, "images"), config.imageCacheBytes),
    FeatureCache.open(path.join(config.dir, "features"), config.featureMemoryBytes, config.featureDiskBytes),
  ]);
  return { images, features };
}

import type { ImageLimits } from "../images/decode-image";
import type { ModelRunner } from "../runtime/model-runner";
import type { FeatureEmbedder } from "./embedding/feature-embedder";

/** What every task call works with: the models, the built-in embedder and the image limits. */
export interface TaskContext {
  runner: ModelRunner;
  embedder: FeatureEmbedder;
  imageLimits: ImageLimits;
}

import { featureEmbedderFeatures, featureEmbedderModel } from "../../tasks/embedding/built-in-model";
import type { FeatureEmbedder } from "../../tasks/embedding/feature-embedder";
import type { ResolvedFeatureBase } from "./feature-source";

/** The built-in embedder as a base: its default vectors (256 values, L2-normalised). */
export function embedderFeatureBase(embedder: FeatureEmbedder): ResolvedFeatureBase {
  const dimension = featureEmbedderModel.defaultDimension;
  return {
    key: featureEmbedderFeatures,
    dimension,
    source: { kind: "feature-embedder", dimension },
    extract: (images, signal) => embedder.embed(images, { dimension, signal }),
  };
}

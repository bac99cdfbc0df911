import {
  defaultFeatureEmbedderVersion,
  featureEmbedderFeaturesOf,
  featureEmbedderModel,
  type FeatureEmbedderVersion,
} from "../../tasks/embedding/built-in-model";
import type { FeatureEmbedder } from "../../tasks/embedding/feature-embedder";
import type { ResolvedFeatureBase } from "./feature-source";

/** The built-in embedder as a base: one version's default vectors (256 values, L2-normalised). */
export function embedderFeatureBase(
  embedder: FeatureEmbedder,
  version: FeatureEmbedderVersion = defaultFeatureEmbedderVersion,
): ResolvedFeatureBase {
  const dimension = featureEmbedderModel.defaultDimension;
  return {
    key: featureEmbedderFeaturesOf(version),
    dimension,
    // Version 1's source reads as it did before versions existed (no `version`), so what was
    // stored from it compares equal.
    source:
      version === "1"
        ? { kind: "feature-embedder", dimension }
        : { kind: "feature-embedder", dimension, version },
    extract: (images, signal) => embedder.embed(images, { dimension, version, signal }),
  };
}

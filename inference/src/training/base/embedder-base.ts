import {
  defaultFeatureEmbedderVersion,
  featureEmbedderFeaturesOf,
  featureEmbedderModel,
  type FeatureEmbedderVersion,
} from "../../tasks/embedding/built-in-model";
import type { FeatureEmbedder } from "../../tasks/embedding/feature-embedder";
import { embedderFingerprint } from "./embedder-fingerprint";
import type { ResolvedFeatureBase } from "./feature-source";

/**
 * The built-in embedder as a base: one version's default vectors (256 values, L2-normalised).
 * Its cache key names the version and the fingerprint of what that version computes here
 * ("feature-embedder/v2@<12 hex>"), so cached vectors from another descriptor are never reused.
 */
export async function embedderFeatureBase(
  embedder: Pick<FeatureEmbedder, "embed">,
  version: FeatureEmbedderVersion = defaultFeatureEmbedderVersion,
): Promise<ResolvedFeatureBase> {
  const dimension = featureEmbedderModel.defaultDimension;
  const fingerprint = await embedderFingerprint(embedder, version, dimension);
  return {
    key: `${featureEmbedderFeaturesOf(version)}@${fingerprint}`,
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

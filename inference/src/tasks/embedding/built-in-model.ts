import type { ModelDescription } from "../../runtime/model-runner";

/**
 * The built-in feature embedder as a model: how the tier lists it and how the registry's
 * `system/feature-embedder` refers to it. The version changes whenever a descriptor block, a
 * weight or the projection seed changes, since every vector changes with it.
 */
export const featureEmbedderModel = {
  name: "feature-embedder",
  version: "1",
  task: "embedding",
  platform: "tessera_builtin",
  defaultDimension: 256,
  maxDimension: 4096,
} as const;

/**
 * The embedder's versions, each a different descriptor (and so different vectors): "1" colour and
 * texture statistics; "2" shape and layout (multi-scale oriented gradients). A request that names
 * no version gets "1", so callers from before version 2 keep getting the vectors they stored.
 */
export const featureEmbedderVersions = ["1", "2"] as const;
export type FeatureEmbedderVersion = (typeof featureEmbedderVersions)[number];
export const defaultFeatureEmbedderVersion: FeatureEmbedderVersion = "1";
export const latestFeatureEmbedderVersion: FeatureEmbedderVersion = "2";

/** The version a request names ("" → the default), or null when there is no such version. */
export function featureEmbedderVersion(requested: string): FeatureEmbedderVersion | null {
  if (requested === "") return defaultFeatureEmbedderVersion;
  return (featureEmbedderVersions as readonly string[]).includes(requested)
    ? (requested as FeatureEmbedderVersion)
    : null;
}

/**
 * Names one version's default vectors (256 values, L2-normalised) where something depends on
 * them: the training feature cache (with a fingerprint of what the version computes), and a
 * model trained on them (its ONNX metadata "tessera.features"), whose input the tier computes
 * with that version.
 */
export function featureEmbedderFeaturesOf(version: FeatureEmbedderVersion): string {
  return `${featureEmbedderModel.name}/v${version}`;
}

/** The version whose vectors `features` names ("feature-embedder/v2" → "2"), else null. */
export function versionOfFeatures(features: string | undefined): FeatureEmbedderVersion | null {
  const prefix = `${featureEmbedderModel.name}/v`;
  if (!features?.startsWith(prefix)) return null;
  const version = features.slice(prefix.length);
  return version === "" ? null : featureEmbedderVersion(version);
}

/** Version 1's feature name, which models trained before version 2 carry. */
export const featureEmbedderFeatures = featureEmbedderFeaturesOf(defaultFeatureEmbedderVersion);

/** Its description in the runtime's terms: encoded images in, one vector of `dimension` out. */
export function featureEmbedderDescription(
  dimension: number = featureEmbedderModel.defaultDimension,
): ModelDescription {
  return {
    name: featureEmbedderModel.name,
    version: featureEmbedderModel.version,
    platform: featureEmbedderModel.platform,
    maxBatchSize: 0,
    inputs: [{ name: "image", dataType: "BYTES", shape: [1] }],
    outputs: [{ name: "embedding", dataType: "FLOAT32", shape: [dimension] }],
    task: featureEmbedderModel.task,
    labels: [],
    preprocessing: null,
    embeddingOutput: "embedding",
  };
}

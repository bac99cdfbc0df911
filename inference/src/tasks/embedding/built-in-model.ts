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
 * Names the embedder's default vectors (256 values, L2-normalised) where something depends on
 * them: the training feature cache, and a model trained on them (its ONNX metadata
 * "tessera.features"), whose input the tier computes with this embedder.
 */
export const featureEmbedderFeatures = `${featureEmbedderModel.name}/v${featureEmbedderModel.version}`;

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

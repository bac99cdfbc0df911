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

import { failedPrecondition } from "../runtime/errors";
import type { ModelDescription } from "../runtime/model-runner";
import {
  featureEmbedderFeaturesOf,
  featureEmbedderModel,
  latestFeatureEmbedderVersion,
  versionOfFeatures,
  type FeatureEmbedderVersion,
} from "./embedding/built-in-model";
import { describeModel } from "./model-task";
import { numericValues, outputNameOf, outputOf, type NumberArray } from "./run-images";
import type { TaskContext } from "./task-context";

/** How the embedder's vector enters a model that takes it: which input, how wide, in what shape. */
interface FeatureInputPlan {
  version: FeatureEmbedderVersion;
  inputName: string;
  dimension: number;
  shape: number[];
}

/**
 * Runs one image through a model trained on the built-in embedder's vectors (its metadata says
 * "tessera.features": "feature-embedder/v1" or "/v2"): the tier computes the vector the model's input
 * takes and answers the model's first output for it.
 */
export async function runOnEmbedderFeatures(
  context: TaskContext,
  model: ModelDescription,
  image: Uint8Array,
  signal: AbortSignal,
): Promise<NumberArray> {
  const plan = planFeatureInput(model);
  const [vector] = await context.embedder.embed([image], {
    dimension: plan.dimension,
    version: plan.version,
    signal,
  });
  const outputName = outputNameOf(model);
  const outputs = await context.runner.infer(
    model.name,
    model.version,
    { [plan.inputName]: { dataType: "FLOAT32", shape: plan.shape, data: vector! } },
    { signal, outputs: [outputName] },
  );
  return numericValues(outputOf(model, outputs, outputName));
}

/**
 * One FLOAT32 input of [D] after the batch dimension (Triton's convention when the model
 * batches), else [1, D], [-1, D] or [D]; D fixed, as the embedder's width must be chosen up front.
 */
function planFeatureInput(model: ModelDescription): FeatureInputPlan {
  const version = versionOfFeatures(model.inputFeatures);
  if (!version) {
    throw failedPrecondition(
      `${describeModel(model)} takes "${model.inputFeatures}" feature vectors, which this tier does not compute; it computes "${featureEmbedderFeaturesOf("1")}" to "${featureEmbedderFeaturesOf(latestFeatureEmbedderVersion)}"`,
    );
  }
  const [input, ...others] = model.inputs;
  const batched = model.maxBatchSize > 0;
  const dims = input?.shape ?? [];
  const leadingOne = !batched && dims.length === 2 && (dims[0] === 1 || dims[0] === -1);
  const vectorDims = leadingOne ? dims.slice(1) : dims;
  const dimension = vectorDims[0] ?? -1;
  const fits =
    input &&
    others.length === 0 &&
    input.dataType === "FLOAT32" &&
    vectorDims.length === 1 &&
    dimension >= 1 &&
    dimension <= featureEmbedderModel.maxDimension;
  if (!fits) {
    const inputs = model.inputs.map((spec) => `"${spec.name}" ${spec.dataType} [${spec.shape.join(", ")}]`);
    throw failedPrecondition(
      `${describeModel(model)} takes ${featureEmbedderFeaturesOf(version)} vectors, so it needs one FLOAT32 input of ` +
        `[batch, D] with D from 1 to ${featureEmbedderModel.maxDimension}; its inputs are ${inputs.join(", ") || "none"}` +
        `${batched ? " (after the batch dimension)" : ""}`,
    );
  }
  return {
    version,
    inputName: input.name,
    dimension,
    shape: batched || leadingOne ? [1, dimension] : [dimension],
  };
}

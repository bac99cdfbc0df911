import { failedPrecondition, type TierError } from "../../runtime/errors";
import type { ModelDescription, TensorSpec } from "../../runtime/model-runner";
import { describeModel } from "../../tasks/model-task";

/** Output names that say "class scores", which make poor features for a new head. */
const classScoresName = /prob|softmax|logit|score|pred/i;

/**
 * The output read as features: the one named, else the deployment's embedding output, else the
 * model's only output, else the first output of rank 2 ([N, D]) whose name does not suggest
 * class scores (contains none of prob, softmax, logit, score, pred).
 */
export function chooseFeatureOutput(model: ModelDescription, requested: string): TensorSpec {
  const named = requested || model.embeddingOutput;
  if (named) {
    const output = model.outputs.find((spec) => spec.name === named);
    if (output) return output;
    throw failedPrecondition(
      `${describeModel(model)} has no output "${named}" to read features from; its outputs are ${describeOutputs(model)}`,
    );
  }
  if (model.outputs.length === 1) return model.outputs[0]!;
  const vector = model.outputs.find(
    (spec) => withBatch(model, spec).length === 2 && !classScoresName.test(spec.name),
  );
  if (vector) return vector;
  throw failedPrecondition(
    `${describeModel(model)} has several outputs and none of rank 2 whose name does not suggest class scores; ` +
      `name the one to read features from (feature_output). Its outputs are ${describeOutputs(model)}`,
  );
}

/** FAILED_PRECONDITION for an output that cannot serve as features, naming every output and its shape. */
export function unusableOutput(model: ModelDescription, output: string, reason: string): TierError {
  return failedPrecondition(
    `${describeModel(model)} cannot give features from output "${output}": ${reason}. Features are read ` +
      `from a FLOAT32 output of [N, D], or a feature map [N, C, H, W] or [N, H, W, C] averaged over its ` +
      `positions; the model's outputs are ${describeOutputs(model)}`,
  );
}

/** `"logits" FLOAT32 [-1, 3], "features" FLOAT32 [-1, 4, 8, 8]`: shapes with the batch dimension. */
export function describeOutputs(model: ModelDescription): string {
  return model.outputs
    .map((spec) => `"${spec.name}" ${spec.dataType} [${withBatch(model, spec).join(", ")}]`)
    .join(", ");
}

/**
 * The output's shape as the ONNX file has it: Triton's convention leaves the batch dimension out
 * of the spec when the model batches. [] when the file does not say the rank.
 */
export function withBatch(model: ModelDescription, spec: TensorSpec): number[] {
  return model.maxBatchSize > 0 ? [-1, ...spec.shape] : [...spec.shape];
}

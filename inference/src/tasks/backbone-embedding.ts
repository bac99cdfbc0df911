import { failedPrecondition } from "../runtime/errors";
import type { ModelDescription } from "../runtime/model-runner";
import { l2Normalised } from "./embedding/vector-norms";
import { planImageInput } from "./model-input";
import { describeModel, requireTask } from "./model-task";
import { inferEncodedImages, outputNameOf, type ImageOutput, type NumberArray } from "./run-images";
import type { TaskContext } from "./task-context";

/**
 * ML embeddings: the backbone's feature output per image (the description's embeddingOutput,
 * else its only output), global-average-pooled when it is a feature map, L2-normalised.
 */
export async function backboneEmbeddings(
  context: TaskContext,
  model: ModelDescription,
  images: readonly Uint8Array[],
  signal: AbortSignal,
): Promise<Float32Array[]> {
  requireTask(model, "Embed with ML or HYBRID", ["embedding", "classification"]);
  const plan = planImageInput(model, { dense: false });
  const { outputs } = await inferEncodedImages(
    context,
    model,
    plan,
    images,
    embeddingOutputOf(model),
    signal,
  );
  return outputs.map((output) => l2Normalised(pooled(output, plan.normalisation.layout)));
}

function embeddingOutputOf(model: ModelDescription): string {
  if (model.embeddingOutput) return model.embeddingOutput;
  if (model.outputs.length === 1) return outputNameOf(model);
  throw failedPrecondition(
    `${describeModel(model)} has ${model.outputs.length} outputs (${model.outputs.map((output) => output.name).join(", ")}) and names none as its embedding output`,
  );
}

/**
 * A feature map [C, H, W] (or [H, W, C] for a channels-last model) averaged over its positions;
 * anything else ([C], [C, 1, 1], [1, C]) taken as it is.
 */
export function pooled(output: ImageOutput, layout: "NCHW" | "NHWC"): NumberArray {
  const { shape, values } = output;
  if (shape.length !== 3) return values;
  const [channels, positions] =
    layout === "NCHW" ? [shape[0]!, shape[1]! * shape[2]!] : [shape[2]!, shape[0]! * shape[1]!];
  if (positions === 1) return values;
  const result = new Float64Array(channels);
  for (let channel = 0; channel < channels; channel++) {
    let sum = 0;
    for (let position = 0; position < positions; position++) {
      sum +=
        layout === "NCHW" ? values[channel * positions + position]! : values[position * channels + channel]!;
    }
    result[channel] = sum / positions;
  }
  return result;
}

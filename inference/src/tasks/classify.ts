import type { ClassifyRequest__Output } from "../generated/tessera/tasks/v1/ClassifyRequest";
import type { ClassifyResponse } from "../generated/tessera/tasks/v1/ClassifyResponse";
import { failedPrecondition } from "../kserve/errors";
import { toProbabilities, topK } from "./classification-scores";
import { describeModel, labelOf } from "./model-task";
import { runSingleImage } from "./single-image";
import type { TaskContext } from "./task-context";

const defaultTopK = 5;

/** Image → the top-k classes with probabilities and labels, read from the model's first output. */
export async function classify(
  context: TaskContext,
  request: ClassifyRequest__Output,
  signal: AbortSignal,
): Promise<Omit<ClassifyResponse, "latency_ms">> {
  const { model, output } = await runSingleImage(context, request, "Classify", ["classification"], {
    dense: false,
    signal,
  });
  const scores = output.values;
  if (scores.length < 1) throw failedPrecondition(`${describeModel(model)} returned no scores`);
  const probabilities = toProbabilities(scores);
  const predictions = topK(probabilities, request.top_k || defaultTopK).map(({ index, score }) => ({
    label: labelOf(model, index),
    score,
    index,
  }));
  return { model_name: model.name, model_version: model.version, predictions };
}

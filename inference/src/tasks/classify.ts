import type { ClassifyRequest__Output } from "@tessera/proto/generated/tessera/tasks/v1/ClassifyRequest";
import type { ClassifyResponse } from "@tessera/proto/generated/tessera/tasks/v1/ClassifyResponse";
import { limits } from "../limits";
import { failedPrecondition, invalidArgument } from "../runtime/errors";
import { toProbabilities, topK } from "./classification-scores";
import { runOnEmbedderFeatures } from "./feature-input";
import { describeModel, labelOf, requireTask } from "./model-task";
import { runSingleImage } from "./single-image";
import type { TaskContext } from "./task-context";

const defaultTopK = 5;

/** Image → the top-k classes with probabilities and labels, read from the model's first output. */
export async function classify(
  context: TaskContext,
  request: ClassifyRequest__Output,
  signal: AbortSignal,
): Promise<Omit<ClassifyResponse, "latency_ms">> {
  if (request.top_k > limits.tasks.topK) {
    throw invalidArgument(
      `top_k must be between 0 and ${limits.tasks.topK} (0: ${defaultTopK}), got ${request.top_k}`,
    );
  }
  const { model, scores } = await scoresFor(context, request, signal);
  if (scores.length < 1) throw failedPrecondition(`${describeModel(model)} returned no scores`);
  const probabilities = toProbabilities(scores);
  const predictions = topK(probabilities, request.top_k || defaultTopK).map(({ index, score }) => ({
    label: labelOf(model, index),
    score,
    index,
  }));
  return { model_name: model.name, model_version: model.version, predictions };
}

/**
 * The model's first output for the image. A model trained on the built-in embedder's vectors
 * takes those instead of the image; the version described first is the one that answers.
 */
async function scoresFor(context: TaskContext, request: ClassifyRequest__Output, signal: AbortSignal) {
  const model = context.runner.describe(request.model_name, request.model_version || undefined);
  if (model.inputFeatures) {
    requireTask(model, "Classify", ["classification"]);
    return { model, scores: await runOnEmbedderFeatures(context, model, request.image, signal) };
  }
  const pinned = { ...request, model_version: model.version };
  const { output } = await runSingleImage(context, pinned, "Classify", ["classification"], {
    dense: false,
    signal,
  });
  return { model, scores: output.values };
}

import { decodeImages } from "../images/image-batch";
import type { ClassifyRequest__Output } from "../generated/tessera/tasks/v1/ClassifyRequest";
import type { ClassifyResponse } from "../generated/tessera/tasks/v1/ClassifyResponse";
import { failedPrecondition } from "../kserve/errors";
import { toProbabilities, topK } from "./classification-scores";
import { planImageInput } from "./model-input";
import { describeModel, labelOf, requireTask } from "./model-task";
import { inferImages, outputNameOf } from "./run-images";
import type { TaskContext } from "./task-context";

const defaultTopK = 5;

/** Image → the top-k classes with probabilities and labels, read from the model's first output. */
export async function classify(
  context: TaskContext,
  request: ClassifyRequest__Output,
  signal: AbortSignal,
): Promise<Omit<ClassifyResponse, "latency_ms">> {
  const model = context.runner.describe(request.model_name, request.model_version || undefined);
  requireTask(model, "Classify", ["classification"]);
  const plan = planImageInput(model, { dense: false });
  const [image] = await decodeImages(
    [request.image],
    plan.size && { ...plan.size, fit: plan.fit },
    context.imageLimits,
  );
  const [output] = await inferImages(
    context.runner,
    model,
    plan,
    [image!.pixels],
    outputNameOf(model),
    signal,
  );
  const scores = output!.values;
  if (scores.length < 1) throw failedPrecondition(`${describeModel(model)} returned no scores`);
  const probabilities = toProbabilities(scores);
  const predictions = topK(probabilities, request.top_k || defaultTopK).map(({ index, score }) => ({
    label: labelOf(model, index),
    score,
    index,
  }));
  return { model_name: model.name, model_version: model.version, predictions };
}

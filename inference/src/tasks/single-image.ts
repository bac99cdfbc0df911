import { decodeImages } from "../images/image-batch";
import type { ModelTask } from "../runtime/model-runner";
import { planImageInput } from "./model-input";
import { requireTask } from "./model-task";
import { inferImages, outputNameOf } from "./run-images";
import type { TaskContext } from "./task-context";

interface SingleImageRequest {
  model_name: string;
  model_version: string;
  image: Buffer;
}

/**
 * The path Classify, EstimateDepth and Segment share: the model that serves the request, checked
 * for its task, and one image decoded, run and answered with the model's output.
 */
export async function runSingleImage(
  context: TaskContext,
  request: SingleImageRequest,
  rpc: string,
  tasks: readonly ModelTask[],
  options: { dense: boolean; signal: AbortSignal },
) {
  const model = context.runner.describe(request.model_name, request.model_version || undefined);
  requireTask(model, rpc, tasks);
  const plan = planImageInput(model, { dense: options.dense });
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
    options.signal,
  );
  return { model, image: image!, output: output! };
}

import type { ModelTask } from "../runtime/model-runner";
import { planImageInput } from "./model-input";
import { requireTask } from "./model-task";
import { inferEncodedImages, outputNameOf } from "./run-images";
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
  const {
    originals: [image],
    outputs: [output],
  } = await inferEncodedImages(context, model, plan, [request.image], outputNameOf(model), options.signal);
  return { model, image: image!, output: output! };
}

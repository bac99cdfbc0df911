import type { DetectRequest__Output } from "@tessera/proto/generated/tessera/tasks/v1/DetectRequest";
import type { DetectResponse } from "@tessera/proto/generated/tessera/tasks/v1/DetectResponse";
import { placementOf } from "../images/letterbox";
import { failedPrecondition } from "../runtime/errors";
import type { ModelDescription } from "../runtime/model-runner";
import { decodeNmsRows, decodeYoloV8, detectionLayoutOf, type Candidate } from "./detection/detection-output";
import { detectOptionsOf } from "./detection/detect-options";
import { suppressPerClass } from "./detection/non-max-suppression";
import { toSourcePixels } from "./detection/source-boxes";
import { planImageInput, type ImageInputPlan } from "./model-input";
import { describeModel, labelOf, requireTask } from "./model-task";
import { inferEncodedImages, outputNameOf, type ImageOutput } from "./run-images";
import type { TaskContext } from "./task-context";

/**
 * Image → boxes in the image's own pixels with labels and scores: the image letterboxed (unless
 * the deployment says otherwise), the output decoded in whichever of the two YOLO layouts it has,
 * suppressed per class, and mapped back through the letterbox.
 */
export async function detect(
  context: TaskContext,
  request: DetectRequest__Output,
  signal: AbortSignal,
): Promise<Omit<DetectResponse, "latency_ms">> {
  const options = detectOptionsOf(request);
  const model = context.runner.describe(request.model_name, request.model_version || undefined);
  requireTask(model, "Detect", ["detection"]);
  const plan = detectionPlan(model);
  const {
    originals: [original],
    outputs: [output],
  } = await inferEncodedImages(
    context,
    model,
    plan,
    [request.image],
    outputNameOf(model),
    signal,
    // Only read here: no float64 copy of the output (84 × 8400 values for a 640×640 YOLOv8).
    "as-is",
  );
  const source = { width: original!.originalWidth, height: original!.originalHeight };
  const placement = placementOf(plan.fit, source, plan.size);
  const boxes = suppressPerClass(candidatesOf(model, output!, options.minScore), options);
  return {
    model_name: model.name,
    model_version: model.version,
    detections: boxes.map((box) => {
      const { x1, y1, x2, y2, score, classIndex } = toSourcePixels(box, placement, source);
      return { label: labelOf(model, classIndex), score, class_index: classIndex, box: { x1, y1, x2, y2 } };
    }),
    width: source.width,
    height: source.height,
  };
}

/**
 * YOLO's conventions where the deployment states none: letterboxed, pixel / 255 without ImageNet's
 * mean and std.
 */
function detectionPlan(model: ModelDescription): ImageInputPlan {
  const plan = planImageInput(model, { dense: false });
  if (model.preprocessing) return plan;
  return {
    ...plan,
    fit: "letterbox",
    normalisation: { ...plan.normalisation, mean: [0, 0, 0], std: [1, 1, 1] },
  };
}

function candidatesOf(model: ModelDescription, output: ImageOutput, minScore: number): Candidate[] {
  const found = detectionLayoutOf(output.shape, model.labels.length);
  if (!found) {
    throw failedPrecondition(
      `${describeModel(model)} answered an output of shape [${output.shape.join(", ")}] per image; ` +
        "Detect reads YOLOv8's [4 + classes, boxes] or an NMS export's [boxes, 6]",
    );
  }
  return found.layout === "nms"
    ? decodeNmsRows(output.values, found.rows, minScore)
    : decodeYoloV8(output.values, found.rows, found.columns, minScore);
}

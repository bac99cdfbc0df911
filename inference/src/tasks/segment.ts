import type { SegmentRequest__Output } from "@tessera/proto/generated/tessera/tasks/v1/SegmentRequest";
import type { SegmentResponse } from "@tessera/proto/generated/tessera/tasks/v1/SegmentResponse";
import { greyPng } from "../images/encode-png";
import { labelMaskOf, maskSamples, pixelCounts, resizeMask } from "./label-mask";
import { labelOf } from "./model-task";
import { runSingleImage } from "./single-image";
import type { TaskContext } from "./task-context";

/**
 * Image → a class index per pixel at the input image's size (nearest-neighbour from the model's
 * resolution) as a greyscale PNG, with the pixel count and fraction of each class present.
 */
export async function segment(
  context: TaskContext,
  request: SegmentRequest__Output,
  signal: AbortSignal,
): Promise<Omit<SegmentResponse, "latency_ms">> {
  const { model, image, output } = await runSingleImage(context, request, "Segment", ["segmentation"], {
    dense: true,
    signal,
  });
  const mask = resizeMask(
    labelMaskOf(output, model.labels.length),
    image.originalWidth,
    image.originalHeight,
  );
  const total = mask.width * mask.height;
  const labels = Array.from({ length: mask.classCount }, (_, index) => labelOf(model, index));
  const classes = pixelCounts(mask).flatMap((count, index) =>
    count > 0 ? [{ index, label: labels[index]!, pixel_count: count, fraction: count / total }] : [],
  );
  return {
    model_name: model.name,
    model_version: model.version,
    mask_png: await greyPng(maskSamples(mask), mask),
    width: mask.width,
    height: mask.height,
    classes,
    labels,
  };
}

import type { EstimateDepthRequest__Output } from "@tessera/proto/generated/tessera/tasks/v1/EstimateDepthRequest";
import type { EstimateDepthResponse } from "@tessera/proto/generated/tessera/tasks/v1/EstimateDepthResponse";
import { greyPng, resizeGrey16, rgbPng } from "../images/encode-png";
import { depthLevels, depthMapOf, depthRange } from "./depth-map";
import { runSingleImage } from "./single-image";
import type { TaskContext } from "./task-context";
import { colouriseLevels } from "./turbo-colormap";

/**
 * Image → the model's depth map as it came (float32 at the model's resolution) plus two renderings
 * at the input image's size: a 16-bit greyscale PNG (min → 0, max → 65535, bilinear upsampling)
 * and a turbo-coloured preview PNG.
 */
export async function estimateDepth(
  context: TaskContext,
  request: EstimateDepthRequest__Output,
  signal: AbortSignal,
): Promise<Omit<EstimateDepthResponse, "latency_ms">> {
  const { model, image, output } = await runSingleImage(context, request, "EstimateDepth", ["depth"], {
    dense: true,
    signal,
  });
  const depth = depthMapOf(output);
  const range = depthRange(depth.values);
  const imageSize = { width: image.originalWidth, height: image.originalHeight };
  const levels = await resizeGrey16(depthLevels(depth.values, range), depth, imageSize);
  const [depthPng, previewPng] = await Promise.all([
    greyPng(levels, imageSize),
    rgbPng(colouriseLevels(levels), imageSize),
  ]);
  return {
    model_name: model.name,
    model_version: model.version,
    depth: Buffer.from(depth.values.buffer, depth.values.byteOffset, depth.values.byteLength),
    depth_width: depth.width,
    depth_height: depth.height,
    min: range.min,
    max: range.max,
    depth_png: depthPng,
    preview_png: previewPng,
    width: imageSize.width,
    height: imageSize.height,
  };
}

import type { ImagePlacement } from "../../images/letterbox";
import type { Candidate } from "./detection-output";

/**
 * A box from model-input pixels back to the source image's pixels: the placement's offset
 * removed, its scale undone (Ultralytics' scale_boxes), then clipped to the image.
 */
export function toSourcePixels(
  box: Candidate,
  placement: ImagePlacement,
  source: { width: number; height: number },
): Candidate {
  const x = (value: number) => clamp((value - placement.offsetX) / placement.scaleX, source.width);
  const y = (value: number) => clamp((value - placement.offsetY) / placement.scaleY, source.height);
  return { ...box, x1: x(box.x1), y1: y(box.y1), x2: x(box.x2), y2: y(box.y2) };
}

function clamp(value: number, max: number): number {
  return Math.min(Math.max(value, 0), max);
}

import type { DetectRequest__Output } from "@tessera/proto/generated/tessera/tasks/v1/DetectRequest";
import { limits } from "../../limits";
import { invalidArgument } from "../../runtime/errors";

/** Ultralytics' predict defaults: conf 0.25, iou 0.7, max_det 300. */
export const detectDefaults = { minScore: 0.25, iou: 0.7, maxDetections: 300 } as const;

export interface DetectOptions {
  minScore: number;
  iou: number;
  maxDetections: number;
}

/** The request's thresholds with 0 read as "the default"; anything outside its bound is INVALID_ARGUMENT. */
export function detectOptionsOf(
  request: Pick<DetectRequest__Output, "min_score" | "iou" | "max_detections">,
): DetectOptions {
  return {
    minScore: fraction("min_score", request.min_score, detectDefaults.minScore),
    iou: fraction("iou", request.iou, detectDefaults.iou),
    maxDetections: count(request.max_detections),
  };
}

function fraction(field: string, value: number, fallback: number): number {
  if (value === 0) return fallback;
  if (Number.isFinite(value) && value > 0 && value <= 1) return value;
  throw invalidArgument(`${field} must be above 0 and at most 1 (0: ${fallback}), got ${value}`);
}

function count(value: number): number {
  if (value === 0) return detectDefaults.maxDetections;
  if (Number.isInteger(value) && value > 0 && value <= limits.tasks.detections) return value;
  throw invalidArgument(
    `max_detections must be between 1 and ${limits.tasks.detections} (0: ${detectDefaults.maxDetections}), got ${value}`,
  );
}

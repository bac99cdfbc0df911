import type { DetectResponse__Output } from "@tessera/proto/generated/tessera/tasks/v1/DetectResponse";
import { AppError, badInput, failedPrecondition } from "../errors";
import { limits } from "../limits";
import { tierScored, type Scored } from "../serving/scorer";
import type { DetectedObject } from "./inference.types";

/**
 * detectObjects' requests and answers around the tier's Detect: the thresholds' bounds, its errors,
 * its objects and what analytics records.
 */

/** detectObjects' thresholds, after GraphQL's defaults (0.25, 0.7, 300: Ultralytics' own). */
export interface DetectionOptions {
  minScore: number;
  iou: number;
  maxDetections: number;
}

export const detectionDefaults: DetectionOptions = { minScore: 0.25, iou: 0.7, maxDetections: 300 };

/**
 * Both thresholds are above 0: the tier reads 0 as "the default", so a 0 sent on would silently
 * become 0.25 or 0.7.
 */
export function checkDetectionOptions(options: DetectionOptions): void {
  for (const field of ["minScore", "iou"] as const) {
    const value = options[field];
    if (!(Number.isFinite(value) && value > 0 && value <= 1)) {
      throw badInput(`${field} must be above 0 and at most 1, got ${value}`, { field });
    }
  }
  const max = limits.detection.maxDetections;
  if (!(
    Number.isInteger(options.maxDetections) &&
    options.maxDetections >= 1 &&
    options.maxDetections <= max
  )) {
    throw badInput(`maxDetections must be between 1 and ${max}, got ${options.maxDetections}`, {
      field: "maxDetections",
    });
  }
}

/**
 * The tier's FAILED_PRECONDITION (a model that is no detector, or answers neither YOLO layout)
 * keeps its code: the model, not the request, is at fault.
 */
export function asDetectionError(error: unknown): unknown {
  if (error instanceof AppError && error.details.tierStatus === "FAILED_PRECONDITION") {
    return failedPrecondition(error.message, { field: "modelVersionId" });
  }
  return error;
}

/** The tier's objects as GraphQL's DetectedObject. */
export function detectedObjectsOf(response: DetectResponse__Output): DetectedObject[] {
  return response.detections.map((detection) => ({
    label: detection.label,
    score: detection.score,
    classIndex: detection.class_index,
    box: {
      x1: detection.box?.x1 ?? 0,
      y1: detection.box?.y1 ?? 0,
      x2: detection.box?.x2 ?? 0,
      y2: detection.box?.y2 ?? 0,
    },
  }));
}

/** A detection as analytics records a scoring: its boxes as rows, where it ran and its timings. */
export function detectionScored(response: DetectResponse__Output, servedBy: string): Scored {
  return tierScored(
    response.detections.map((detection) => ({
      label: detection.label,
      score: detection.score,
      index: detection.class_index,
    })),
    response,
    servedBy,
  );
}

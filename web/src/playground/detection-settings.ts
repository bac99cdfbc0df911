/** What `detectObjects` is asked for besides the image. */
export interface DetectionSettings {
  minScore: number;
  iou: number;
  maxDetections: number;
}

export type DetectionField = keyof DetectionSettings;

/** The settings as typed, one string per field; the run brings each within its bounds. */
export type TypedDetectionSettings = Record<DetectionField, string>;

interface FieldBounds {
  min: number;
  max: number;
  step: number;
  /** The gateway's default, used when the field is blank. */
  initial: number;
  integer: boolean;
}

/**
 * The gateway's bounds and defaults (score 0.25, IoU 0.7, at most 300 boxes, as in Ultralytics'
 * YOLOv8 predictor). It takes thresholds above 0 and at most 1; 0.01 is the field's floor because
 * a number input cannot say "above 0". The box count's ceiling is gateway/src/limits.ts
 * `detection.maxDetections`.
 */
export const detectionBounds: Record<DetectionField, FieldBounds> = {
  minScore: { min: 0.01, max: 1, step: 0.01, initial: 0.25, integer: false },
  iou: { min: 0.01, max: 1, step: 0.01, initial: 0.7, integer: false },
  maxDetections: { min: 1, max: 1000, step: 1, initial: 300, integer: true },
};

export const detectionFields: readonly DetectionField[] = ["minScore", "iou", "maxDetections"];

export function initialDetectionSettings(): TypedDetectionSettings {
  return {
    minScore: String(detectionBounds.minScore.initial),
    iou: String(detectionBounds.iou.initial),
    maxDetections: String(detectionBounds.maxDetections.initial),
  };
}

/** One field as the run sends it: what was typed, within bounds; the default when blank or not a number. */
export function detectionSettingOf(field: DetectionField, typed: string): number {
  const { min, max, initial, integer } = detectionBounds[field];
  const requested = typed.trim() === "" ? Number.NaN : Number(typed);
  if (!Number.isFinite(requested)) return initial;
  const value = integer ? Math.round(requested) : requested;
  return Math.min(max, Math.max(min, value));
}

export function detectionSettingsOf(typed: TypedDetectionSettings): DetectionSettings {
  return {
    minScore: detectionSettingOf("minScore", typed.minScore),
    iou: detectionSettingOf("iou", typed.iou),
    maxDetections: detectionSettingOf("maxDetections", typed.maxDetections),
  };
}

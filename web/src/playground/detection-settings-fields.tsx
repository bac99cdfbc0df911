import { useId } from "react";
import { ErrorMessage } from "../ui/error-message";
import {
  detectionBounds,
  detectionFields,
  detectionSettingOf,
  type DetectionField,
  type TypedDetectionSettings,
} from "./detection-settings";

const fieldWords: Record<DetectionField, { label: string; hint: string }> = {
  minScore: {
    label: "Minimum score",
    hint: "Boxes the model is less sure of are dropped: 0.01 to 1, 0.25 by default.",
  },
  iou: {
    label: "Overlap (IoU) threshold",
    hint: "A box overlapping a better one of its class by more than this is dropped: 0.01 to 1, 0.7 by default.",
  },
  maxDetections: {
    label: "Most boxes",
    hint: "The best boxes are kept: 1 to 1,000, 300 by default.",
  },
};

export interface DetectionSettingsFieldsProps {
  /** As typed; leaving a field (and every run) brings it within its bounds. */
  settings: TypedDetectionSettings;
  onChange(settings: TypedDetectionSettings): void;
  /** The last run's failure: problems the server tied to one of these fields are shown at it. */
  runError: unknown;
}

/** What `detectObjects` keeps of the model's boxes: minimum score, IoU for suppression, how many. */
export function DetectionSettingsFields({ settings, onChange, runError }: DetectionSettingsFieldsProps) {
  const id = useId();
  return (
    <fieldset className="detection-settings">
      <legend>Detection</legend>
      {detectionFields.map((field) => {
        const bounds = detectionBounds[field];
        const words = fieldWords[field];
        return (
          <div className="field" key={field}>
            <label htmlFor={`${id}-${field}`}>{words.label}</label>
            <input
              id={`${id}-${field}`}
              type="number"
              min={bounds.min}
              max={bounds.max}
              step={bounds.step}
              value={settings[field]}
              aria-describedby={`${id}-${field}-hint`}
              onChange={(event) => onChange({ ...settings, [field]: event.target.value })}
              onBlur={() =>
                onChange({ ...settings, [field]: String(detectionSettingOf(field, settings[field])) })
              }
            />
            <p className="hint" id={`${id}-${field}-hint`}>
              {words.hint}
            </p>
            <ErrorMessage error={runError} field={field} />
          </div>
        );
      })}
    </fieldset>
  );
}

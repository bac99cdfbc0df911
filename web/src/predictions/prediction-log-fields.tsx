import { useId } from "react";
import type { PredictionLogInput } from "../gql/graphql";
import { parseNumber } from "../training/parameter-rules";
import "./loop.css";

/** The log settings as typed: the retention as text, so a half-typed number can be shown with its problem. */
export interface PredictionLogSettings {
  enabled: boolean;
  retentionDays: string;
  keepImages: boolean;
}

/** The gateway's bounds on `predictionLog.retentionDays`, and its defaults. */
const MAX_RETENTION_DAYS = 3650;
const defaults = { enabled: true, retentionDays: 30, keepImages: true };

/** The deployment's settings, or the gateway's defaults for a version not deployed yet. */
export function predictionLogSettings(
  current: { enabled: boolean; retentionDays: number; keepImages: boolean } | null | undefined,
): PredictionLogSettings {
  const log = current ?? defaults;
  return { enabled: log.enabled, retentionDays: String(log.retentionDays), keepImages: log.keepImages };
}

/** Why these settings cannot be sent, or null when they can. */
export function predictionLogProblem(settings: PredictionLogSettings): string | null {
  if (!settings.enabled) return null;
  const days = parseNumber(settings.retentionDays);
  if (days === null || !Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    return `Keep predictions for a whole number of days, from 1 to ${MAX_RETENTION_DAYS.toLocaleString()}`;
  }
  return null;
}

/** What `deployModelVersion(config: { predictionLog })` gets. Call it on settings without a problem. */
export function predictionLogInput(settings: PredictionLogSettings): PredictionLogInput {
  if (!settings.enabled) return { enabled: false };
  return {
    enabled: true,
    retentionDays: parseNumber(settings.retentionDays) ?? defaults.retentionDays,
    keepImages: settings.keepImages,
  };
}

/**
 * Whether the deployment logs its predictions (their ids make feedback possible), for how long,
 * and whether with the images. Applied by the next Deploy.
 */
export function PredictionLogFields({
  value,
  onChange,
  disabled,
}: {
  value: PredictionLogSettings;
  onChange(value: PredictionLogSettings): void;
  disabled?: boolean;
}) {
  const id = useId();
  const problem = predictionLogProblem(value);
  return (
    <fieldset className="prediction-log-fields" disabled={disabled}>
      <legend>Prediction log</legend>
      <div className="field field-checkbox">
        <input
          id={`${id}-enabled`}
          type="checkbox"
          checked={value.enabled}
          onChange={(event) => onChange({ ...value, enabled: event.target.checked })}
        />
        <label htmlFor={`${id}-enabled`}>Log predictions, so people can correct them</label>
      </div>
      {value.enabled && (
        <>
          <div className="field">
            <label htmlFor={`${id}-days`}>Keep them for (days)</label>
            <input
              id={`${id}-days`}
              inputMode="numeric"
              value={value.retentionDays}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-problem` : undefined}
              onChange={(event) => onChange({ ...value, retentionDays: event.target.value })}
            />
            {problem && (
              <div className="error-message field-error" role="alert" id={`${id}-problem`}>
                <p>{problem}</p>
              </div>
            )}
          </div>
          <div className="field field-checkbox">
            <input
              id={`${id}-images`}
              type="checkbox"
              checked={value.keepImages}
              onChange={(event) => onChange({ ...value, keepImages: event.target.checked })}
            />
            <label htmlFor={`${id}-images`}>Keep the images too</label>
          </div>
        </>
      )}
      <p className="hint">Applied by the next Deploy.</p>
    </fieldset>
  );
}

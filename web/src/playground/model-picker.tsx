import { useId } from "react";
import { Link } from "react-router";
import { DeploymentBadge } from "../models/deployment-badge";
import { versionPath } from "../models/model-paths";
import { CheckboxField } from "../ui/checkbox-field";
import { ErrorMessage } from "../ui/error-message";
import { formatEnum, formatNumber } from "../ui/format";
import type { TypedDetectionSettings } from "./detection-settings";
import { DetectionSettingsFields } from "./detection-settings-fields";
import {
  deploymentName,
  operationOf,
  pickerOrder,
  topKBounds,
  topKOf,
  unavailableReason,
  type PlaygroundDeployment,
} from "./playground-deployments";

export interface ModelPickerProps {
  deployments: readonly PlaygroundDeployment[];
  chosen: PlaygroundDeployment;
  onChoose(versionId: string): void;
  /** As typed; leaving the field (and every run) brings it within `topKBounds`. */
  topK: string;
  onTopKChange(topK: string): void;
  /** Classification: ask the model again rather than take the prediction cache's earlier answer. */
  bypassCache: boolean;
  onBypassCacheChange(bypass: boolean): void;
  /** Detection: the thresholds sent with each image, as typed. */
  detectionSettings: TypedDetectionSettings;
  onDetectionSettingsChange(settings: TypedDetectionSettings): void;
  /** The last run's failure: problems the server tied to `topK` or a threshold are shown at that field. */
  runError: unknown;
}

/** A native select (arrow keys, type-ahead) of every deployment, with what the chosen one can do. */
export function ModelPicker({
  deployments,
  chosen,
  onChoose,
  topK,
  onTopKChange,
  bypassCache,
  onBypassCacheChange,
  detectionSettings,
  onDetectionSettingsChange,
  runError,
}: ModelPickerProps) {
  const id = useId();
  const { model, version, labels } = chosen.modelVersion;
  const reason = unavailableReason(chosen);
  const topKLimit = topKBounds(labels.length).max;
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Model</h2>
      <div className="field">
        <label htmlFor={`${id}-model`}>Deployed model</label>
        <select
          id={`${id}-model`}
          value={chosen.modelVersion.id}
          aria-describedby={reason ? `${id}-reason` : undefined}
          onChange={(event) => onChoose(event.target.value)}
        >
          {pickerOrder(deployments).map((deployment) => (
            <option key={deployment.id} value={deployment.modelVersion.id}>
              {deploymentName(deployment)} · {formatEnum(deployment.config.task)} ·{" "}
              {formatEnum(deployment.state)}
            </option>
          ))}
        </select>
      </div>
      <dl className="facts compact">
        <dt>State</dt>
        <dd aria-live="polite">
          <DeploymentBadge deployment={chosen} />
        </dd>
        <dt>Task</dt>
        <dd>{formatEnum(chosen.config.task)}</dd>
        {labels.length > 0 && (
          <>
            <dt>Labels</dt>
            <dd>{labels.length}</dd>
          </>
        )}
        <dt>Version</dt>
        <dd>
          <Link to={versionPath(model.owner.handle, model.slug, version)}>
            {model.name} {version}
          </Link>
        </dd>
      </dl>
      {reason && (
        <p className="notice" id={`${id}-reason`}>
          {reason}
          {chosen.reason && (
            <>
              {" "}
              <span className="muted">The tier said: {chosen.reason}</span>
            </>
          )}
        </p>
      )}
      {operationOf(chosen.config.task) === "classify" && (
        <div className="field topk-field">
          <label htmlFor={`${id}-topk`}>Labels to show</label>
          <input
            id={`${id}-topk`}
            type="number"
            min={1}
            max={topKLimit}
            value={topK}
            aria-describedby={`${id}-topk-hint`}
            onChange={(event) => onTopKChange(event.target.value)}
            onBlur={() => onTopKChange(String(topKOf(topK, labels.length)))}
          />
          <p className="hint" id={`${id}-topk-hint`}>
            The most likely labels first: 1 to {formatNumber(topKLimit)}
            {labels.length > 0 ? ` (the model has ${formatNumber(labels.length)} labels)` : ""}.
          </p>
          <ErrorMessage error={runError} field="topK" />
          <CheckboxField
            id={`${id}-bypass-cache`}
            label="Bypass the prediction cache"
            checked={bypassCache}
            onChange={onBypassCacheChange}
          />
          <p className="hint">
            An image sent before to the same served version is answered from the cache; bypass it to run the
            model again.
          </p>
        </div>
      )}
      {operationOf(chosen.config.task) === "detect" && (
        <DetectionSettingsFields
          settings={detectionSettings}
          onChange={onDetectionSettingsChange}
          runError={runError}
        />
      )}
    </section>
  );
}

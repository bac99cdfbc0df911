import { useMutation } from "@apollo/client/react";
import { useId, useState } from "react";
import {
  DeployModelVersionDocument,
  UndeployModelVersionDocument,
  ValidationState,
  type DeploymentInfoFragment,
} from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime, formatEnum } from "../ui/format";
import { DeploymentBadge } from "./deployment-badge";
import { DeployConfirmation, replacedVersion, type DeployTarget } from "./deploy-confirmation";
import type { ServingVersion } from "./version-accuracy";
import {
  PredictionLogFields,
  predictionLogInput,
  predictionLogProblem,
  predictionLogSettings,
} from "../predictions/prediction-log-fields";

export interface DeploymentPanelProps {
  versionId: string;
  deployment: DeploymentInfoFragment | null;
  validation: ValidationState;
  /** This version and the one the model serves: a deploy that switches between them asks first. */
  target?: DeployTarget;
  serving?: ServingVersion | null;
}

/** Deploy loads the version on every inference tier and answers once it is READY or FAILED. */
export function DeploymentPanel({
  versionId,
  deployment,
  validation,
  target,
  serving,
}: DeploymentPanelProps) {
  const id = useId();
  const [deploy, deploying] = useMutation(DeployModelVersionDocument, { variables: { id: versionId } });
  const [undeploy, undeploying] = useMutation(UndeployModelVersionDocument, {
    variables: { id: versionId },
    update(cache, result) {
      if (!result.data?.undeployModelVersion) return;
      cache.modify({
        id: cache.identify({ __typename: "ModelVersion", id: versionId }),
        fields: { deployment: () => null },
      });
    },
  });
  const busy = deploying.loading || undeploying.loading;
  const replaces = target ? replacedVersion(target, serving) : null;
  const [confirming, setConfirming] = useState(false);
  const [predictionLog, setPredictionLog] = useState(() =>
    predictionLogSettings(deployment?.config.predictionLog),
  );

  function startDeploy() {
    void deploy({
      variables: { id: versionId, config: { predictionLog: predictionLogInput(predictionLog) } },
    }).catch(() => null);
  }

  return (
    <section className="panel" aria-labelledby={`${id}-title`} aria-busy={busy}>
      <h2 id={`${id}-title`}>Deployment</h2>
      <p aria-live="polite" className="deployment-state">
        {deploying.loading ? (
          "Deploying: loading the model on the inference tiers…"
        ) : undeploying.loading ? (
          "Undeploying…"
        ) : deployment ? (
          <>
            <DeploymentBadge deployment={deployment} />{" "}
            <span className="muted">since {formatDateTime(deployment.updatedAt)}</span>
          </>
        ) : (
          "Not deployed"
        )}
      </p>
      {deployment?.reason && (
        <div className="error-message" role="alert">
          <p>
            <span className="error-code">{deployment.state}</span> {deployment.reason}
          </p>
        </div>
      )}
      {deployment && (
        <dl className="facts compact">
          <dt>Task</dt>
          <dd>{formatEnum(deployment.config.task)}</dd>
          <dt>Served by</dt>
          <dd>{formatEnum(deployment.config.hostedOn)}</dd>
          <dt>KServe name / version</dt>
          <dd>
            <code>
              {deployment.tierModelName} / {deployment.tierModelVersion}
            </code>
          </dd>
          <dt>Batch / instances</dt>
          <dd>
            {deployment.config.maxBatchSize} / {deployment.config.instanceCount}
          </dd>
          {deployment.alias && (
            <>
              <dt>Follows alias</dt>
              <dd>{deployment.alias}</dd>
            </>
          )}
        </dl>
      )}
      <PredictionLogFields value={predictionLog} onChange={setPredictionLog} disabled={busy} />
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={
            busy || validation === ValidationState.Invalid || predictionLogProblem(predictionLog) !== null
          }
          onClick={() => (replaces ? setConfirming(true) : startDeploy())}
        >
          {deployment ? "Deploy again" : "Deploy"}
        </button>
        {deployment && (
          <button type="button" disabled={busy} onClick={() => void undeploy().catch(() => null)}>
            Undeploy
          </button>
        )}
      </div>
      {confirming && target && replaces && (
        <DeployConfirmation
          target={target}
          replaces={replaces}
          onConfirm={() => {
            setConfirming(false);
            startDeploy();
          }}
          onCancel={() => setConfirming(false)}
        />
      )}
      {validation === ValidationState.Invalid && (
        <p className="muted">This version&apos;s primary file could not be read, so it cannot be deployed.</p>
      )}
      <ErrorMessage error={deploying.error ?? undeploying.error} />
    </section>
  );
}

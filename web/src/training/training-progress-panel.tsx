import { useMutation } from "@apollo/client/react";
import { useId, useState } from "react";
import { CancelTrainingDocument, TrainingPhase, TrainingStatus } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { formatDateTime, formatNumber } from "../ui/format";
import { isActive, JobStatusBadge } from "./job-status-badge";
import type { LiveProgress } from "./live-training";

export interface JobProgressFacts {
  id: string;
  status: TrainingStatus;
  progress: number;
  currentEpoch: number;
  totalEpochs: number;
  cancelRequested: boolean;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
}

export interface TrainingProgressPanelProps {
  job: JobProgressFacts;
  /** From the subscription; newer than `job` while the job runs. */
  live: LiveProgress | null;
  /** The end reason the stream gave, if it ended. */
  endReason: string | null;
  /** Trials the job plans (1 without a search). */
  plannedTrials: number;
  reconnecting: boolean;
}

/** Where the job stands: status, overall and epoch progress, and the cancel button while it runs. */
export function TrainingProgressPanel({
  job,
  live,
  endReason,
  plannedTrials,
  reconnecting,
}: TrainingProgressPanelProps) {
  const id = useId();
  const status = live?.status ?? job.status;
  const fraction = Math.max(live?.progress ?? 0, job.progress);
  const finished = status === TrainingStatus.Succeeded;
  const percent = Math.round((finished ? 1 : fraction) * 100);
  const reason = endReason ?? job.error;

  return (
    <section className="panel training-progress" aria-labelledby={`${id}-title`}>
      <div className="section-header">
        <h2 id={`${id}-title`}>Progress</h2>
        <JobStatusBadge status={status} />
      </div>
      <p className="progress-phase" aria-live="polite">
        {describePhase(status, live, job, plannedTrials)}
      </p>
      <div className="progress-row">
        <progress max={100} value={percent} aria-label="Job progress" />
        <span className="progress-figure">{percent}%</span>
      </div>
      {live && status === TrainingStatus.Running && live.totalSteps > 0 && (
        <div className="progress-row">
          <progress
            max={live.totalSteps}
            value={live.step}
            aria-label={
              live.phase === TrainingPhase.Features ? "Images read for features" : "Steps of this epoch"
            }
          />
          <span className="progress-figure">
            {live.phase === TrainingPhase.Features ? "image" : "step"} {formatNumber(live.step)} of{" "}
            {formatNumber(live.totalSteps)}
          </span>
        </div>
      )}
      {reconnecting && isActive(status) && (
        <p className="notice" role="status">
          Live updates were interrupted; reconnecting. The curves resume where they stopped.
        </p>
      )}
      {job.cancelRequested && isActive(status) && (
        <p className="notice" role="status">
          Cancelling: the worker stops within seconds.
        </p>
      )}
      {reason && !finished && (
        <div className="error-message" role="alert">
          <p>
            <span className="error-code">{status}</span> {reason}
          </p>
        </div>
      )}
      <dl className="facts compact">
        <dt>Queued</dt>
        <dd>{formatDateTime(job.createdAt)}</dd>
        <dt>Started</dt>
        <dd>{formatDateTime(job.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatDateTime(job.finishedAt)}</dd>
        {job.attempts > 1 && (
          <>
            <dt>Runs</dt>
            <dd>{job.attempts} (resumed from its last epoch)</dd>
          </>
        )}
      </dl>
      {isActive(status) && !job.cancelRequested && <CancelJob jobId={job.id} />}
    </section>
  );
}

function describePhase(
  status: TrainingStatus,
  live: LiveProgress | null,
  job: JobProgressFacts,
  plannedTrials: number,
): string {
  if (status === TrainingStatus.Succeeded) return "Finished: the model is registered.";
  if (status === TrainingStatus.Failed) return "Failed.";
  if (status === TrainingStatus.Cancelled) return "Cancelled.";
  if (status === TrainingStatus.Queued || !live || live.phase === TrainingPhase.Queued) {
    return "Queued: waiting for a training worker.";
  }
  const trial = plannedTrials > 1 ? `Trial ${live.trial + 1} of up to ${plannedTrials}: ` : "";
  const doing =
    live.phase === TrainingPhase.Features
      ? "reading features from the base model."
      : live.phase === TrainingPhase.Exporting
        ? "exporting the best model to ONNX and registering it."
        : `epoch ${live.epoch || job.currentEpoch} of ${live.totalEpochs || job.totalEpochs}.`;
  return trial ? `${trial}${doing}` : `${doing.charAt(0).toUpperCase()}${doing.slice(1)}`;
}

/** Two steps, so a stray click does not throw away a running job. */
function CancelJob({ jobId }: { jobId: string }) {
  const [confirming, setConfirming] = useState(false);
  const [cancel, { loading, error }] = useMutation(CancelTrainingDocument, { variables: { id: jobId } });
  return (
    <div className="cancel-job">
      {confirming ? (
        <div className="button-row" role="group" aria-label="Confirm cancelling">
          <span>Stop this job? Finished epochs are kept in its history; no model is registered.</span>
          <button
            type="button"
            className="danger"
            disabled={loading}
            onClick={() =>
              void cancel().then(
                () => setConfirming(false),
                () => null,
              )
            }
          >
            {loading ? "Cancelling…" : "Cancel the job"}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep training
          </button>
        </div>
      ) : (
        <div className="button-row">
          <button type="button" onClick={() => setConfirming(true)}>
            Cancel job
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

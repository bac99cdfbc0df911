import { useId } from "react";
import { Link } from "react-router";
import {
  JobStatus,
  type PolicyEvaluationEntryFragment,
  type RetrainingPolicySummaryFragment,
  type RetrainingRunEntryFragment,
} from "../gql/graphql";
import { versionPath as datasetVersionPath } from "../datasets/dataset-paths";
import { versionPath } from "../models/model-paths";
import { trainingJobPath } from "../training/training-paths";
import { EmptyState } from "../ui/empty-state";
import { formatDateTime, formatFraction, formatNumber } from "../ui/format";
import { StateBadge } from "../ui/state-badge";
import { timelineOf } from "./policy-timeline";
import { evaluationWords, measureRows } from "./policy-words";
import { decisionOf, runOutcome } from "./run-decision";

type Model = RetrainingPolicySummaryFragment["model"];

/** Every evaluation and run of a policy, newest first: why it fired or not, and what each run decided. */
export function PolicyTimeline({
  model,
  alias,
  evaluations,
  runs,
}: {
  model: Model;
  alias: string;
  evaluations: readonly PolicyEvaluationEntryFragment[];
  runs: readonly RetrainingRunEntryFragment[];
}) {
  const entries = timelineOf(evaluations, runs);
  if (entries.length === 0) {
    return (
      <EmptyState title="Not evaluated yet">
        The scheduler evaluates enabled policies regularly; &ldquo;Evaluate now&rdquo; shows what it would
        decide.
      </EmptyState>
    );
  }
  return (
    <ol className="timeline" aria-label="Evaluations and runs, newest first">
      {entries.map((entry) =>
        entry.kind === "evaluation" ? (
          <EvaluationEntry key={`evaluation-${entry.evaluation.id}`} evaluation={entry.evaluation} />
        ) : (
          <RunEntry key={`run-${entry.run.id}`} run={entry.run} model={model} alias={alias} />
        ),
      )}
    </ol>
  );
}

function evaluationTitle(evaluation: PolicyEvaluationEntryFragment, wouldFire: boolean): string {
  if (evaluation.dryRun) return wouldFire ? "Dry run: would fire" : "Dry run: would not fire";
  return evaluation.fired ? "Fired" : "Did not fire";
}

function EvaluationEntry({ evaluation }: { evaluation: PolicyEvaluationEntryFragment }) {
  const id = useId();
  const rows = measureRows(evaluation.metrics);
  const words = evaluationWords(evaluation);
  const tone = evaluation.fired ? "good" : words.wouldFire ? "busy" : "neutral";
  return (
    <li className={`timeline-entry${evaluation.fired ? " timeline-fired" : ""}`} aria-labelledby={id}>
      <h3 className="timeline-head" id={id}>
        <span className={`badge badge-${tone}`}>{evaluationTitle(evaluation, words.wouldFire)}</span>{" "}
        <span className="muted">Evaluation · {formatDateTime(evaluation.at)}</span>
      </h3>
      {words.verdict && <p className="timeline-verdict">{words.verdict}</p>}
      {words.checks.length > 0 && (
        <ul className="timeline-reasons" aria-label="Triggers checked">
          {words.checks.map((check, index) => (
            <li key={index}>{check}</li>
          ))}
        </ul>
      )}
      {rows.length > 0 && (
        <details>
          <summary>Measured</summary>
          <dl className="facts compact">
            {rows.map(([name, value]) => (
              <div key={name} className="fact">
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </li>
  );
}

function RunEntry({ run, model, alias }: { run: RetrainingRunEntryFragment; model: Model; alias: string }) {
  const id = useId();
  const outcome = runOutcome(run);
  const succeeded = run.status === JobStatus.Succeeded;
  const stopped = run.status === JobStatus.Failed || run.status === JobStatus.Cancelled;
  const decision = decisionOf(run.decision);
  const versionLink = (version: { version: string } | null | undefined) =>
    version ? (
      <Link to={versionPath(model.owner.handle, model.slug, version.version)}>{version.version}</Link>
    ) : (
      <span className="muted">—</span>
    );
  return (
    <li className="timeline-entry timeline-run" aria-labelledby={id}>
      <h3 className="timeline-head" id={id}>
        <StateBadge state={outcome.label} tone={outcome.tone} />{" "}
        <span className="muted">
          Run · {formatDateTime(run.createdAt)}
          {run.finishedAt && ` – ${formatDateTime(run.finishedAt)}`}
        </span>
      </h3>
      <dl className="facts compact">
        <dt>Dataset version</dt>
        <dd>
          {run.datasetVersion ? (
            <Link to={datasetVersionPath(run.datasetVersion.dataset.id, run.datasetVersion.number)}>
              {run.datasetVersion.dataset.name} v{run.datasetVersion.number}
            </Link>
          ) : (
            <span className="muted">{stopped ? "none" : "not built yet"}</span>
          )}
        </dd>
        <dt>Training job</dt>
        <dd>
          {run.trainingJob ? (
            <Link to={trainingJobPath(run.trainingJob.id)}>open the training job</Link>
          ) : (
            <span className="muted">{stopped ? "none" : "not started yet"}</span>
          )}
        </dd>
        <dt>Champion</dt>
        <dd>
          {versionLink(run.champion)} {formatFraction(decision.championAccuracy)}
        </dd>
        <dt>Challenger</dt>
        <dd>
          {versionLink(run.challenger)} {formatFraction(decision.challengerAccuracy)}
        </dd>
        {decision.heldOutCount !== null && (
          <>
            <dt>Held-out set</dt>
            <dd>
              {formatNumber(decision.heldOutCount)} images
              {decision.heldOutSource && ` (${decision.heldOutSource})`}, the same for both
            </dd>
          </>
        )}
      </dl>
      {/* A promotion moved the alias whatever became of the run after it. */}
      {run.promoted === true && (
        <p>
          <strong>
            {alias} now points at {versionLink(run.challenger)}.
          </strong>
        </p>
      )}
      {succeeded && run.promoted === false && (
        <p>
          <strong>
            {alias} stays {run.champion ? <>on {versionLink(run.champion)}</> : "where it was"}.
          </strong>
        </p>
      )}
      {(succeeded || run.promoted === true) && decision.reason && (
        <p className="muted">Decision: {decision.reason}</p>
      )}
      {run.status === JobStatus.Cancelled && run.promoted !== true && (
        <p>Cancelled before a decision: {alias} did not move.</p>
      )}
      {stopped && (run.error || (run.status === JobStatus.Failed && decision.reason)) && (
        <div className="error-message" role="alert">
          <p>
            {run.error ? (
              <>
                <span className="error-code">{run.error.code}</span> {run.error.message}
              </>
            ) : (
              decision.reason
            )}
          </p>
        </div>
      )}
    </li>
  );
}

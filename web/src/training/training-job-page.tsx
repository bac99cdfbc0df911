import { useQuery } from "@apollo/client/react";
import { useCallback } from "react";
import { Link, useParams } from "react-router";
import {
  TrainingJobDetailDocument,
  TrainingStatus,
  TrialStatus,
  type TrainingJobDetailQuery,
} from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { versionPath } from "../models/model-paths";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { EvaluationReport } from "./evaluation-report";
import { JobFacts } from "./job-facts";
import { isActive } from "./job-status-badge";
import { JobOptions } from "./job-options";
import { ReportLinks } from "./report-links";
import { TrainingCurves } from "./training-curves";
import { comparePath, startTrainingPath, trainingPath } from "./training-paths";
import { TrainingProgressPanel } from "./training-progress-panel";
import { sortTrialsByObjective } from "./trial-order";
import { TrialsTable } from "./trials-table";
import { useLiveTraining } from "./use-live-training";

type Job = NonNullable<TrainingJobDetailQuery["trainingJob"]>;

const crumbs = [{ label: "Training", to: trainingPath }];

/** One job: live progress and curves while it runs, then its trials, evaluation and model. */
export default function TrainingJobPage() {
  const { jobId = "" } = useParams();
  const { data, loading, error, refetch } = useQuery(TrainingJobDetailDocument, { variables: { id: jobId } });
  const job = data?.trainingJob;
  useDocumentTitle(job ? `Training ${job.targetModelSlug}` : "Training job");

  if (loading && !data) return <Skeleton lines={10} label="Loading the training job" />;
  if (!job) {
    return (
      <>
        <PageHeader title="Training job" crumbs={crumbs} />
        <ErrorMessage error={error} />
        {!error && (
          <EmptyState title="No such training job">It was deleted, or you cannot see it.</EmptyState>
        )}
      </>
    );
  }
  return <JobView job={job} error={error} reload={refetch} />;
}

function JobView({ job, error, reload }: { job: Job; error: unknown; reload: () => Promise<unknown> }) {
  // Trials, status changes and the end change what the page shows beyond the curves.
  const onMilestone = useCallback(() => void reload().catch(() => null), [reload]);
  const live = useLiveTraining(job.id, onMilestone);
  const { options, resultModelVersion: result } = job;
  const searching = options.enableHyperparameterTuning || job.trials.length > 1;
  const running = isActive(live.progress?.status ?? job.status);
  const runningTrial = running ? (live.progress?.trial ?? null) : null;
  const bestTrial = sortTrialsByObjective(job.trials, options.monitor).find(
    (trial) => trial.status === TrialStatus.Succeeded,
  );

  return (
    <>
      <PageHeader
        title={`Training ${job.owner.handle}/${job.targetModelSlug}`}
        crumbs={crumbs}
        actions={
          <>
            {result && (
              <Link
                className="button primary"
                to={versionPath(result.model.owner.handle, result.model.slug, result.version)}
              >
                Open model version {result.version}
              </Link>
            )}
            <Link className="button" to={startTrainingPath({ fromJob: job.id })}>
              Train again with these options
            </Link>
            {job.trials.length > 1 && (
              <Link className="button" to={comparePath([job.id])}>
                Compare trials
              </Link>
            )}
          </>
        }
      />
      <p className="muted">
        Job <code>{job.id}</code>
      </p>
      <ErrorMessage error={error} />
      <div className="two-columns">
        <TrainingProgressPanel
          job={job}
          live={live.progress}
          endReason={live.ended?.reason ?? null}
          plannedTrials={options.enableHyperparameterTuning ? options.maxTrials : 1}
          reconnecting={live.reconnecting}
        />
        <JobFacts job={job} />
      </div>
      <TrainingCurves
        points={live.points}
        plannedEpochs={options.epochs}
        historyLoaded={live.historyLoaded}
        followedTrial={running ? runningTrial : (bestTrial?.number ?? null)}
        runningTrial={runningTrial}
      />
      {live.error !== null && (
        <div className="error-with-action">
          <ErrorMessage error={live.error} />
          <button type="button" onClick={live.reloadHistory}>
            Load the history again
          </button>
        </div>
      )}
      {searching && <TrialsTable trials={job.trials} monitor={options.monitor} />}
      {job.evaluation && <EvaluationReport report={job.evaluation} jobId={job.id} />}
      {job.testEvaluation && <EvaluationReport report={job.testEvaluation} jobId={job.id} />}
      {job.status === TrainingStatus.Succeeded && <ReportLinks jobId={job.id} />}
      <JobOptions options={options} />
    </>
  );
}

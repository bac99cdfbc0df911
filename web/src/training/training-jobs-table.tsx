import { Link } from "react-router";
import type { TrainingJobsQuery } from "../gql/graphql";
import { versionPath } from "../models/model-paths";
import { formatDateTime } from "../ui/format";
import { formatFinalMetric } from "./final-metric";
import { isActive, JobStatusBadge } from "./job-status-badge";
import { trainingJobPath } from "./training-paths";

export type TrainingJobListRow = TrainingJobsQuery["trainingJobs"]["edges"][number]["node"];

export interface TrainingJobsTableProps {
  jobs: readonly TrainingJobListRow[];
  /** Jobs picked for comparison. */
  selected: ReadonlySet<string>;
  onToggle(jobId: string, selected: boolean): void;
}

/**
 * One row per job, newest first, with live status and progress for the running ones, and the
 * monitored metric of each finished one; a box per row picks jobs to compare.
 */
export function TrainingJobsTable({ jobs, selected, onToggle }: TrainingJobsTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Training jobs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Compare</span>
            </th>
            <th scope="col">Job</th>
            <th scope="col">Status</th>
            <th scope="col">Progress</th>
            <th scope="col">Dataset version</th>
            <th scope="col">Base model</th>
            <th scope="col">Result</th>
            <th scope="col">Final metric</th>
            <th scope="col">Finished</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id}>
              <td>
                <input
                  type="checkbox"
                  checked={selected.has(job.id)}
                  onChange={(event) => onToggle(job.id, event.target.checked)}
                  aria-label={`Compare ${job.owner.handle}/${job.targetModelSlug}, queued ${formatDateTime(job.createdAt)}`}
                />
              </td>
              <th scope="row">
                <Link to={trainingJobPath(job.id)}>
                  {job.owner.handle}/{job.targetModelSlug}
                </Link>
                <div className="muted">queued {formatDateTime(job.createdAt)}</div>
              </th>
              <td>
                <JobStatusBadge status={job.status} />
                {job.cancelRequested && isActive(job.status) && <div className="muted">cancelling</div>}
              </td>
              <td>
                {isActive(job.status) ? (
                  <div className="progress-row compact">
                    <progress
                      max={100}
                      value={Math.round(job.progress * 100)}
                      aria-label={`Progress of ${job.owner.handle}/${job.targetModelSlug}`}
                    />
                    <span className="progress-figure">
                      epoch {job.currentEpoch} of {job.totalEpochs}
                    </span>
                  </div>
                ) : (
                  <span className="muted">{job.totalEpochs} epochs planned</span>
                )}
              </td>
              <td>
                {job.datasetVersion ? (
                  `${job.datasetVersion.dataset.name} · v${job.datasetVersion.number}`
                ) : (
                  <span className="muted">deleted</span>
                )}
              </td>
              <td>
                {job.baseModelVersion ? (
                  `${job.baseModelVersion.model.slug} ${job.baseModelVersion.version}`
                ) : (
                  <span className="muted">deleted</span>
                )}
              </td>
              <td>
                {job.resultModelVersion ? (
                  <Link
                    to={versionPath(
                      job.resultModelVersion.model.owner.handle,
                      job.resultModelVersion.model.slug,
                      job.resultModelVersion.version,
                    )}
                  >
                    {job.resultModelVersion.model.slug} {job.resultModelVersion.version}
                  </Link>
                ) : (
                  "—"
                )}
              </td>
              <td>{formatFinalMetric(job.finalMetric)}</td>
              <td>{formatDateTime(job.finishedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

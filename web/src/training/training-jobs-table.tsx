import { Link } from "react-router";
import type { TrainingJobRowFragment } from "../gql/graphql";
import { versionPath } from "../models/model-paths";
import { formatDateTime } from "../ui/format";
import { isActive, JobStatusBadge } from "./job-status-badge";
import { trainingJobPath } from "./training-paths";

/** One row per job, newest first, with live status and progress for the running ones. */
export function TrainingJobsTable({ jobs }: { jobs: readonly TrainingJobRowFragment[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Training jobs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Status</th>
            <th scope="col">Progress</th>
            <th scope="col">Dataset version</th>
            <th scope="col">Base model</th>
            <th scope="col">Result</th>
            <th scope="col">Finished</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id}>
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
              <td>{formatDateTime(job.finishedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { JobRowFragment } from "../gql/graphql";
import { formatDateTime } from "../ui/format";
import { CancelJobButton } from "./cancel-job-button";
import { describeFinishedProgress, describeJobProgress } from "./job-progress";
import { jobKindLabel } from "./job-kinds";
import { isActiveJob, JobStatusBadge } from "./job-status";
import { JobSubjectLink } from "./job-subject-link";
import { useJobSubject } from "./use-job-subject";

export interface JobsTableProps {
  jobs: readonly JobRowFragment[];
  /** Admins see everyone's jobs, so the owner gets a column. */
  showOwner: boolean;
  onCancelFailed(jobName: string, error: unknown): void;
}

/** Every kind of job in one table, newest first. */
export function JobsTable({ jobs, showOwner, onCancelFailed }: JobsTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table jobs-table">
        <caption className="visually-hidden">Jobs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Works on</th>
            {showOwner && <th scope="col">Owner</th>}
            <th scope="col">Status</th>
            <th scope="col">Progress</th>
            <th scope="col">Attempts</th>
            <th scope="col">Error</th>
            <th scope="col">Created</th>
            <th scope="col">Finished</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} showOwner={showOwner} onCancelFailed={onCancelFailed} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function JobRow({
  job,
  showOwner,
  onCancelFailed,
}: {
  job: JobRowFragment;
  showOwner: boolean;
  onCancelFailed(jobName: string, error: unknown): void;
}) {
  const subject = useJobSubject(job);
  const kind = jobKindLabel(job.kind);
  // Names the job in buttons and the progress bar: "Embeddings flowers v3".
  const name = `${kind} ${subject.name ?? job.id}`;
  const active = isActiveJob(job.status);
  const finishedProgress = describeFinishedProgress(job.status, job.progress);

  return (
    <tr>
      <th scope="row">{kind}</th>
      <td>
        <JobSubjectLink subject={subject} />
      </td>
      {showOwner && <td>{job.owner.handle}</td>}
      <td>
        <JobStatusBadge status={job.status} />
        {job.cancelRequested && active && <div className="muted">cancelling</div>}
      </td>
      <td>
        {active ? (
          <div className="job-progress">
            <progress
              max={100}
              value={Math.round(job.progress.fraction * 100)}
              aria-label={`Progress of ${name}`}
            />
            <span className="muted">{describeJobProgress(job.progress)}</span>
          </div>
        ) : (
          <span className="muted">{finishedProgress ?? "—"}</span>
        )}
      </td>
      <td>
        {job.attempts} of {job.maxAttempts}
      </td>
      <td>
        {job.error ? (
          <span className="job-error">
            {active && <span className="muted">Will retry: </span>}
            <span className="error-code">{job.error.code}</span> {job.error.message}
          </span>
        ) : (
          "—"
        )}
      </td>
      <td>{formatDateTime(job.createdAt)}</td>
      <td>{formatDateTime(job.finishedAt)}</td>
      <td className="actions">
        {active && !job.cancelRequested && (
          <CancelJobButton jobId={job.id} jobName={name} onFailed={(error) => onCancelFailed(name, error)} />
        )}
      </td>
    </tr>
  );
}

import { useQuery } from "@apollo/client/react";
import { useEffect, useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { TrainingJobsDocument, TrainingStatus } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { formatEnum } from "../ui/format";
import { PageHeader } from "../ui/page-header";
import { TableSkeleton } from "../ui/skeleton";
import { isActive } from "./job-status-badge";
import {
  jobFiltersFromParams,
  jobListVariables,
  paramsFromJobFilters,
  type JobListFilters,
} from "./job-list-filters";
import { TrainingJobsTable } from "./training-jobs-table";
import { comparePath, maxComparedJobs, startTrainingPath } from "./training-paths";

const PAGE_SIZE = 25;
/** While a listed job is queued or running, its status and progress are read again this often. */
const ACTIVE_POLL_MS = 2000;
const TYPING_PAUSE_MS = 300;

export default function TrainingJobsPage() {
  useDocumentTitle("Training");
  const [params, setParams] = useSearchParams();
  const filters = jobFiltersFromParams(params);
  const after = params.get("after");
  const [pagesBefore, setPagesBefore] = useState(0);
  // Kept across pages and filters, in the order picked: a comparison may span them.
  const [compared, setCompared] = useState<string[]>([]);
  const toggleCompared = (jobId: string, on: boolean) =>
    setCompared((ids) =>
      on ? [...ids.filter((id) => id !== jobId), jobId] : ids.filter((id) => id !== jobId),
    );
  const { data, loading, error, startPolling, stopPolling } = useQuery(TrainingJobsDocument, {
    variables: jobListVariables(filters, PAGE_SIZE, after),
    fetchPolicy: "cache-and-network",
  });
  const jobs = data?.trainingJobs.edges.map((edge) => edge.node) ?? [];
  const anyActive = jobs.some((job) => isActive(job.status));
  useEffect(() => {
    if (!anyActive) return;
    startPolling(ACTIVE_POLL_MS);
    return () => stopPolling();
  }, [anyActive, startPolling, stopPolling]);

  const applyFilters = (next: JobListFilters) => {
    setPagesBefore(0);
    setParams(paramsFromJobFilters(next), { replace: true });
  };
  const nextPage = (cursor: string) => {
    const next = paramsFromJobFilters(filters);
    next.set("after", cursor);
    setPagesBefore(pagesBefore + 1);
    setParams(next);
  };
  const filtered = filters.statuses.length > 0 || filters.targetModelSlug.trim() !== "";
  const first = pagesBefore * PAGE_SIZE + 1;

  return (
    <>
      <PageHeader
        title="Training"
        actions={
          <>
            {compared.length > 0 && (
              <Link className="button" to={comparePath(compared)}>
                Compare {compared.length} {compared.length === 1 ? "job" : "jobs"}
              </Link>
            )}
            <Link className="button primary" to={startTrainingPath()}>
              Start training
            </Link>
          </>
        }
      />
      <JobFilters filters={filters} onChange={applyFilters} />
      <ErrorMessage error={error} />
      {loading && !data ? (
        <TableSkeleton columns={9} label="Loading training jobs" />
      ) : jobs.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No job matches these filters"
            action={
              <button type="button" onClick={() => applyFilters({ statuses: [], targetModelSlug: "" })}>
                Clear filters
              </button>
            }
          />
        ) : (
          <EmptyState
            title="No training jobs yet"
            action={
              <Link className="button primary" to={startTrainingPath()}>
                Start the first job
              </Link>
            }
          >
            Pick a dataset version and a base model, and watch loss and accuracy arrive live.
          </EmptyState>
        )
      ) : (
        <>
          {compared.length > maxComparedJobs && (
            <p className="muted" role="status">
              A comparison shows the first {maxComparedJobs} jobs picked.
            </p>
          )}
          <TrainingJobsTable jobs={jobs} selected={new Set(compared)} onToggle={toggleCompared} />
          <nav className="pager" aria-label="Pages of training jobs">
            <span>
              {first}–{first + jobs.length - 1} of {data?.trainingJobs.totalCount}
            </span>
            {after && (
              <button type="button" onClick={() => applyFilters(filters)}>
                First page
              </button>
            )}
            {data?.trainingJobs.pageInfo.hasNextPage && data.trainingJobs.pageInfo.endCursor && (
              <button type="button" onClick={() => nextPage(data.trainingJobs.pageInfo.endCursor as string)}>
                Next page
              </button>
            )}
          </nav>
        </>
      )}
    </>
  );
}

/** Status toggles apply at once; the model slug after a pause in typing. */
function JobFilters({
  filters,
  onChange,
}: {
  filters: JobListFilters;
  onChange(filters: JobListFilters): void;
}) {
  const id = useId();
  const [slug, setSlug] = useState(filters.targetModelSlug);
  // The URL applies the change in a transition; the boxes show the choice at once meanwhile.
  const [statuses, setStatuses] = useState(filters.statuses);
  // When the URL changes from elsewhere (Clear filters, Back), the controls show what it now says.
  const inUrl = `${filters.statuses.join(",")}|${filters.targetModelSlug}`;
  const [seenInUrl, setSeenInUrl] = useState(inUrl);
  if (seenInUrl !== inUrl) {
    setSeenInUrl(inUrl);
    setSlug(filters.targetModelSlug);
    setStatuses(filters.statuses);
  }
  useEffect(() => {
    if (slug.trim() === filters.targetModelSlug.trim()) return;
    const timer = setTimeout(() => onChange({ ...filters, targetModelSlug: slug }), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [slug, filters, onChange]);
  const toggle = (status: TrainingStatus, on: boolean) => {
    const next = on ? [...statuses, status] : statuses.filter((picked) => picked !== status);
    setStatuses(next);
    onChange({ ...filters, statuses: next });
  };

  return (
    <form
      role="search"
      aria-label="Filter training jobs"
      className="filters"
      onSubmit={(event) => event.preventDefault()}
    >
      <fieldset className="status-filter">
        <legend>Status</legend>
        {Object.values(TrainingStatus).map((status) => (
          <span key={status} className="field-checkbox">
            <input
              id={`${id}-${status}`}
              type="checkbox"
              checked={statuses.includes(status)}
              onChange={(event) => toggle(status, event.target.checked)}
            />
            <label htmlFor={`${id}-${status}`}>{formatEnum(status)}</label>
          </span>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-model`}>Target model slug</label>
        <input
          id={`${id}-model`}
          type="search"
          placeholder="flowers-classifier"
          value={slug}
          onChange={(event) => setSlug(event.target.value)}
        />
      </div>
    </form>
  );
}

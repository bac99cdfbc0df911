import { useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { problemsOf } from "../api/problems";
import { JobsDocument, Role, ViewerDocument } from "../gql/graphql";
import { useDocumentTitle } from "../layout/use-document-title";
import { EmptyState } from "../ui/empty-state";
import { ErrorMessage } from "../ui/error-message";
import { PageHeader } from "../ui/page-header";
import { TableSkeleton } from "../ui/skeleton";
import { JobFiltersForm } from "./job-filters-form";
import {
  isFiltered,
  jobFilterOf,
  jobFiltersFromParams,
  noJobFilters,
  paramsFromJobFilters,
  type JobListFilters,
} from "./job-list-filters";
import { isActiveJob } from "./job-status";
import { JobsTable } from "./jobs-table";
import { useFreshJobList } from "./use-fresh-job-list";

const PAGE_SIZE = 20;

/** A refused cancel, named by the job it was for. */
interface CancelFailure {
  jobName: string;
  error: unknown;
}

/**
 * Every job the viewer can see (admins: everyone's), whatever its kind: embeddings, training and
 * the kinds to come. Queued and running rows stay fresh (see useFreshJobList) and can be cancelled.
 */
export default function JobsPage() {
  useDocumentTitle("Jobs");
  const [params, setParams] = useSearchParams();
  const filters = jobFiltersFromParams(params);
  const filter = jobFilterOf(filters);
  const isAdmin = useQuery(ViewerDocument).data?.me?.role === Role.Admin;
  const { data, loading, error, fetchMore } = useQuery(JobsDocument, {
    variables: { filter, first: PAGE_SIZE, after: null },
    fetchPolicy: "cache-and-network",
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadMoreError, setLoadMoreError] = useState<unknown>(undefined);
  const [cancelFailure, setCancelFailure] = useState<CancelFailure | null>(null);
  const connection = data?.jobs;
  const jobs = connection?.edges.map((edge) => edge.node) ?? [];
  const live = useFreshJobList({
    filter,
    pageSize: PAGE_SIZE,
    loaded: jobs.length,
    active: jobs.some((job) => isActiveJob(job.status)),
  });

  const applyFilters = (next: JobListFilters) => {
    setLoadMoreError(undefined);
    setParams(paramsFromJobFilters(next), { replace: true });
  };
  const loadMore = async (after: string) => {
    setLoadingMore(true);
    setLoadMoreError(undefined);
    try {
      await fetchMore({ variables: { after } });
    } catch (failed) {
      setLoadMoreError(failed);
    } finally {
      setLoadingMore(false);
    }
  };
  const cancelFailed = (jobName: string, failed: unknown) => {
    setCancelFailure({ jobName, error: failed });
    // A CONFLICT means the job finished meanwhile: show how it ended.
    void live.refresh();
  };

  return (
    <>
      <PageHeader title="Jobs" />
      <p className="lead">
        Long-running work of every kind: embeddings of uploaded datasets, training runs and what comes next.
        Queued and running jobs update here as they go.
      </p>
      <JobFiltersForm filters={filters} onChange={applyFilters} />
      <ErrorMessage error={error ?? live.error} />
      {cancelFailure && (
        <CancelFailureMessage failure={cancelFailure} onDismiss={() => setCancelFailure(null)} />
      )}
      {loading && !data ? (
        <TableSkeleton columns={9} label="Loading jobs" />
      ) : jobs.length === 0 ? (
        connection &&
        (isFiltered(filters) ? (
          <EmptyState
            title="No job matches these filters"
            action={
              <button type="button" onClick={() => applyFilters(noJobFilters)}>
                Clear filters
              </button>
            }
          />
        ) : (
          <EmptyState title="No jobs yet">
            Uploading a dataset queues its embeddings, and starting a training run queues a training job.
          </EmptyState>
        ))
      ) : (
        <>
          <JobsTable jobs={jobs} showOwner={isAdmin} onCancelFailed={cancelFailed} />
          <nav className="pager" aria-label="More jobs">
            <span>
              {jobs.length} of {connection?.totalCount}
            </span>
            {connection?.pageInfo.hasNextPage && connection.pageInfo.endCursor && (
              <button
                type="button"
                disabled={loadingMore}
                onClick={() => void loadMore(connection.pageInfo.endCursor as string)}
              >
                {loadingMore ? "Loading…" : "Load more"}
              </button>
            )}
          </nav>
          <ErrorMessage error={loadMoreError} />
        </>
      )}
    </>
  );
}

/** Why a cancel was refused (CONFLICT: it had finished; FORBIDDEN: not yours), in the server's words. */
function CancelFailureMessage({ failure, onDismiss }: { failure: CancelFailure; onDismiss(): void }) {
  return (
    <div className="error-message job-cancel-failure" role="alert">
      <p>
        <strong>Could not cancel {failure.jobName}.</strong>
      </p>
      {problemsOf(failure.error).map((problem, index) => (
        <p key={index}>
          <span className="error-code">{problem.code}</span> {problem.message}
        </p>
      ))}
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}

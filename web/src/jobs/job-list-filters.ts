import { JobKind, JobStatus, type JobFilter } from "../gql/graphql";

/** The Jobs page's filters as they live in the URL (`?kind=TRAIN_MODEL&status=RUNNING,QUEUED`). */
export interface JobListFilters {
  kinds: JobKind[];
  statuses: JobStatus[];
}

export const noJobFilters: JobListFilters = { kinds: [], statuses: [] };

function picked<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T[] {
  const values = (params.get(name) ?? "").split(",");
  return [...new Set(values.filter((value): value is T => (allowed as readonly string[]).includes(value)))];
}

export function jobFiltersFromParams(params: URLSearchParams): JobListFilters {
  return {
    kinds: picked(params, "kind", Object.values(JobKind)),
    statuses: picked(params, "status", Object.values(JobStatus)),
  };
}

export function paramsFromJobFilters(filters: JobListFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.kinds.length > 0) params.set("kind", filters.kinds.join(","));
  if (filters.statuses.length > 0) params.set("status", filters.statuses.join(","));
  return params;
}

/** The API's filter: only the conditions that narrow the list, so an unfiltered list has one cache entry. */
export function jobFilterOf(filters: JobListFilters): JobFilter {
  const filter: JobFilter = {};
  if (filters.kinds.length > 0) filter.kind = filters.kinds;
  if (filters.statuses.length > 0) filter.status = filters.statuses;
  return filter;
}

export function isFiltered(filters: JobListFilters): boolean {
  return filters.kinds.length > 0 || filters.statuses.length > 0;
}

import { TrainingStatus, type TrainingJobsQueryVariables } from "../gql/graphql";

/** The job list's filters as they live in the URL (`?status=RUNNING,QUEUED&model=flowers`). */
export interface JobListFilters {
  statuses: TrainingStatus[];
  targetModelSlug: string;
}

const statuses = Object.values(TrainingStatus) as string[];

export function jobFiltersFromParams(params: URLSearchParams): JobListFilters {
  const picked = (params.get("status") ?? "")
    .split(",")
    .filter((status): status is TrainingStatus => statuses.includes(status));
  return { statuses: [...new Set(picked)], targetModelSlug: params.get("model") ?? "" };
}

export function paramsFromJobFilters(filters: JobListFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.statuses.length > 0) params.set("status", filters.statuses.join(","));
  if (filters.targetModelSlug.trim()) params.set("model", filters.targetModelSlug.trim());
  return params;
}

export function jobListVariables(
  filters: JobListFilters,
  first: number,
  after: string | null,
): TrainingJobsQueryVariables {
  const filter: NonNullable<TrainingJobsQueryVariables["filter"]> = {};
  if (filters.statuses.length > 0) filter.status = filters.statuses;
  if (filters.targetModelSlug.trim()) filter.targetModelSlug = filters.targetModelSlug.trim();
  return { filter, first, after };
}

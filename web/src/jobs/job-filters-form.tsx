import { useId, useState } from "react";
import { JobKind, JobStatus } from "../gql/graphql";
import { formatEnum } from "../ui/format";
import { jobKindLabel } from "./job-kinds";
import type { JobListFilters } from "./job-list-filters";

/** Kind and status toggles; each applies at once. */
export function JobFiltersForm({
  filters,
  onChange,
}: {
  filters: JobListFilters;
  onChange(filters: JobListFilters): void;
}) {
  // The URL applies a change in a transition; the boxes show the choice at once meanwhile, and
  // show what the URL says again when it changes from elsewhere (Clear filters, Back).
  const [shown, setShown] = useState(filters);
  const inUrl = `${filters.kinds.join(",")}|${filters.statuses.join(",")}`;
  const [seenInUrl, setSeenInUrl] = useState(inUrl);
  if (seenInUrl !== inUrl) {
    setSeenInUrl(inUrl);
    setShown(filters);
  }
  const change = (next: JobListFilters) => {
    setShown(next);
    onChange(next);
  };

  return (
    <form
      role="search"
      aria-label="Filter jobs"
      className="filters"
      onSubmit={(event) => event.preventDefault()}
    >
      <Toggles<JobKind>
        legend="Kind"
        values={Object.values(JobKind)}
        picked={shown.kinds}
        label={jobKindLabel}
        onChange={(kinds) => change({ ...shown, kinds })}
      />
      <Toggles<JobStatus>
        legend="Status"
        values={Object.values(JobStatus)}
        picked={shown.statuses}
        label={formatEnum}
        onChange={(statuses) => change({ ...shown, statuses })}
      />
    </form>
  );
}

function Toggles<T extends string>({
  legend,
  values,
  picked,
  label,
  onChange,
}: {
  legend: string;
  values: readonly T[];
  picked: readonly T[];
  label(value: T): string;
  onChange(picked: T[]): void;
}) {
  const id = useId();
  return (
    <fieldset className="job-filter">
      <legend>{legend}</legend>
      {values.map((value) => (
        <span key={value} className="field-checkbox">
          <input
            id={`${id}-${value}`}
            type="checkbox"
            checked={picked.includes(value)}
            onChange={(event) =>
              onChange(event.target.checked ? [...picked, value] : picked.filter((other) => other !== value))
            }
          />
          <label htmlFor={`${id}-${value}`}>{label(value)}</label>
        </span>
      ))}
    </fieldset>
  );
}

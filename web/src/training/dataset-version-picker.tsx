import { useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { TrainingDatasetsDocument, type TrainingDatasetVersionQuery } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { formatNumber } from "../ui/format";
import { Skeleton } from "../ui/skeleton";
import type { FieldMessage } from "./field-messages";
import { FieldError } from "./option-fields";
import { useDebouncedValue } from "./use-debounced-value";

export type ChosenDatasetVersion = NonNullable<TrainingDatasetVersionQuery["datasetVersion"]>;

export interface DatasetVersionPickerProps {
  value: string;
  /** The chosen version with its classes, once loaded. */
  chosen: ChosenDatasetVersion | null;
  onChange(versionId: string): void;
  message?: FieldMessage;
}

const TYPING_PAUSE_MS = 300;

/** One select of every version, grouped by dataset, narrowed by a search of dataset names and tags. */
export function DatasetVersionPicker({ value, chosen, onChange, message }: DatasetVersionPickerProps) {
  const id = useId();
  const [search, setSearch] = useState("");
  const settled = useDebouncedValue(search.trim(), TYPING_PAUSE_MS);
  const { data, loading, error } = useQuery(TrainingDatasetsDocument, {
    variables: { search: settled || null },
    fetchPolicy: "cache-and-network",
  });
  const datasets = data?.datasets.edges.map((edge) => edge.node) ?? [];
  const listed = datasets.some((dataset) => dataset.versions.some((version) => version.id === value));

  return (
    <div className="picker">
      <div className="field">
        <label htmlFor={`${id}-search`}>Find a dataset</label>
        <input
          id={`${id}-search`}
          type="search"
          placeholder="Name or tag"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      {loading && !data ? (
        <Skeleton lines={1} label="Loading datasets" />
      ) : (
        <div className="field">
          <label htmlFor={`${id}-version`}>
            Dataset version<span aria-hidden="true"> *</span>
          </label>
          <select
            id={`${id}-version`}
            name="datasetVersionId"
            value={value}
            aria-required
            aria-invalid={message ? true : undefined}
            aria-describedby={message ? `${id}-error` : undefined}
            onChange={(event) => onChange(event.target.value)}
          >
            <option value="">
              {datasets.length === 0
                ? "No dataset matches; upload one in Datasets"
                : "Choose a dataset version"}
            </option>
            {chosen && !listed && (
              <option value={chosen.id}>
                {chosen.dataset.name} · version {chosen.number}
              </option>
            )}
            {datasets.map((dataset) => (
              <optgroup key={dataset.id} label={`${dataset.name} (${dataset.owner.handle})`}>
                {dataset.versions.map((version) => (
                  <option key={version.id} value={version.id}>
                    {dataset.name} · version {version.number} · {formatNumber(version.imageCount)} images,{" "}
                    {version.classCount} classes
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <FieldError id={`${id}-error`} message={message} />
        </div>
      )}
      <ErrorMessage error={error} />
      {chosen && <ChosenClasses version={chosen} />}
    </div>
  );
}

/** The classes the job will learn, with what the server will refuse flagged before it does. */
function ChosenClasses({ version }: { version: ChosenDatasetVersion }) {
  const small = version.classes.filter((entry) => entry.count < 2);
  return (
    <div className="picker-summary">
      <p className="muted">
        {formatNumber(version.imageCount)} images in {version.classes.length} classes
      </p>
      <ul className="chips" aria-label="Classes of the chosen version">
        {version.classes.map((entry) => (
          <li key={entry.name} className="chip">
            {entry.name} <span className="muted">{entry.count}</span>
          </li>
        ))}
      </ul>
      {version.classes.length < 2 && (
        <p className="notice">
          Training a classifier needs at least 2 classes; this version has {version.classes.length}.
        </p>
      )}
      {small.length > 0 && (
        <p className="notice">
          Every class needs at least 2 samples (one to train on, one to validate):{" "}
          {small.map((entry) => entry.name).join(", ")} {small.length === 1 ? "has" : "have"} fewer.
        </p>
      )}
    </div>
  );
}

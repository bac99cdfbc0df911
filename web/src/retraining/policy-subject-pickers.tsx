import { useQuery } from "@apollo/client/react";
import { useId, useState, type ReactNode } from "react";
import {
  RetrainingChosenModelDocument,
  RetrainingDatasetChoicesDocument,
  RetrainingModelChoicesDocument,
  Role,
  ViewerDocument,
} from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { formatNumber } from "../ui/format";
import type { FieldMessage } from "../training/field-messages";
import { FieldError } from "../training/option-fields";
import { useDebouncedValue } from "../training/use-debounced-value";

const TYPING_PAUSE_MS = 300;

interface ChoiceProps {
  value: string;
  onChange(id: string): void;
  message?: FieldMessage;
}

/** Whose things a member may choose: their own (the server refuses others'); an admin, anyone's. */
function useChoosableOwner(): { ready: boolean; owner: string | null } {
  const { data } = useQuery(ViewerDocument);
  const me = data?.me;
  if (!me) return { ready: false, owner: null };
  return { ready: true, owner: me.role === Role.Admin ? null : me.handle };
}

/** A select with a search above it: the shape of both pickers. */
function SearchLabel({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" value={value} onChange={(event) => onChange(event.target.value)} />
    </div>
  );
}

/** The model the policy trains new versions of, and whose alias it moves. */
export function ModelChoice({ value, onChange, message }: ChoiceProps) {
  const id = useId();
  const { ready, owner } = useChoosableOwner();
  const [search, setSearch] = useState("");
  const settled = useDebouncedValue(search.trim(), TYPING_PAUSE_MS);
  const { data, error } = useQuery(RetrainingModelChoicesDocument, {
    variables: { owner, search: settled || null },
    skip: !ready,
  });
  const models = data?.models.edges.map((edge) => edge.node) ?? [];
  const listed = models.find((model) => model.id === value);
  const fetched = useQuery(RetrainingChosenModelDocument, {
    variables: { id: value },
    skip: !value || !!listed,
  });
  const chosen = listed ?? (value ? fetched.data?.model : undefined);
  return (
    <div className="picker">
      <SearchLabel id={`${id}-search`} label="Find a model" value={search} onChange={setSearch} />
      <div className="field">
        <label htmlFor={`${id}-model`}>
          Model<span aria-hidden="true"> *</span>
        </label>
        <select
          id={`${id}-model`}
          name="modelId"
          value={value}
          aria-required
          aria-invalid={message ? true : undefined}
          aria-describedby={`${id}-hint${message ? ` ${id}-error` : ""}`}
          onChange={(event) => onChange(event.target.value)}
        >
          <option value="">Choose a model</option>
          {chosen && !listed && (
            <option value={chosen.id}>
              {chosen.owner.handle}/{chosen.slug}
            </option>
          )}
          {models.map((model) => (
            <option key={model.id} value={model.id}>
              {model.owner.handle}/{model.slug} · {model.name}
            </option>
          ))}
        </select>
        <p className="hint" id={`${id}-hint`}>
          Each run trains its next version; the champion is the version its alias points at.
          {chosen && chosen.aliases.length > 0 && (
            <>
              {" "}
              Aliases now:{" "}
              {chosen.aliases.map((alias) => `${alias.alias} → ${alias.version.version}`).join(", ")}.
            </>
          )}
        </p>
        <FieldError id={`${id}-error`} message={message} />
      </div>
      <ErrorMessage error={error ?? fetched.error} />
    </div>
  );
}

export interface DatasetChoiceProps extends ChoiceProps {
  /** The field's name; "Dataset" unless given. */
  label?: string;
  /** What the dataset is for; unless given, what a retraining run does with it. */
  hint?: ReactNode;
  /** Where choosing none is allowed: what none means (the empty option's words). */
  noneMeans?: string;
}

/**
 * A dataset the person may change: by default the one whose latest version each retraining run
 * starts from, with the accepted corrections added.
 */
export function DatasetChoice({ value, onChange, message, label, hint, noneMeans }: DatasetChoiceProps) {
  const id = useId();
  const { ready, owner } = useChoosableOwner();
  const [search, setSearch] = useState("");
  const settled = useDebouncedValue(search.trim(), TYPING_PAUSE_MS);
  const { data, error } = useQuery(RetrainingDatasetChoicesDocument, {
    variables: { owner, search: settled || null },
    skip: !ready,
  });
  const datasets = data?.datasets.edges.map((edge) => edge.node) ?? [];
  return (
    <div className="picker">
      <SearchLabel id={`${id}-search`} label="Find a dataset" value={search} onChange={setSearch} />
      <div className="field">
        <label htmlFor={`${id}-dataset`}>
          {label ?? "Dataset"}
          {noneMeans === undefined && <span aria-hidden="true"> *</span>}
        </label>
        <select
          id={`${id}-dataset`}
          name="datasetId"
          value={value}
          aria-required={noneMeans === undefined}
          aria-invalid={message ? true : undefined}
          aria-describedby={`${id}-hint${message ? ` ${id}-error` : ""}`}
          onChange={(event) => onChange(event.target.value)}
        >
          <option value="">{noneMeans ?? "Choose a dataset"}</option>
          {datasets.map((dataset) => (
            <option key={dataset.id} value={dataset.id}>
              {dataset.owner.handle}/{dataset.name}
              {dataset.latestVersion
                ? ` · version ${dataset.latestVersion.number}, ${formatNumber(dataset.latestVersion.imageCount)} images`
                : ""}
            </option>
          ))}
        </select>
        <p className="hint" id={`${id}-hint`}>
          {hint ??
            "A run adds the accepted corrections and labels to its latest version, as a new version, and trains on that."}
        </p>
        <FieldError id={`${id}-error`} message={message} />
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}

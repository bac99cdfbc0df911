import { useQuery } from "@apollo/client/react";
import { LabelingModelsDocument, type LabelingModelsQuery } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";

export interface LabelingModelPickerProps {
  id: string;
  label: string;
  value: string;
  onChange(versionId: string): void;
  problem?: string;
  hint: string;
}

export type LabelingModelVersion = LabelingModelsQuery["models"]["edges"][number]["node"]["versions"][number];

/** The classifiers the person can see; the picker and the page that needs the chosen one share it. */
export function useLabelingModels() {
  return useQuery(LabelingModelsDocument, { fetchPolicy: "cache-and-network" });
}

/** The version with this id among the models listed, once they are. */
export function chosenVersion(
  data: LabelingModelsQuery | undefined,
  versionId: string,
): LabelingModelVersion | undefined {
  return data?.models.edges.flatMap((edge) => edge.node.versions).find((version) => version.id === versionId);
}

/**
 * Every version of the classifiers the person can see, newest first per model, as the scenes'
 * model picker lists them: the gateway deploys the chosen one if it is not yet, to score the pool.
 */
export function LabelingModelPicker({ id, label, value, onChange, problem, hint }: LabelingModelPickerProps) {
  const { data, loading, error } = useLabelingModels();
  const models = data?.models.edges.map((edge) => edge.node) ?? [];
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        <span aria-hidden="true"> *</span>
      </label>
      <select
        id={id}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">
          {loading && !data
            ? "Loading models…"
            : models.length === 0
              ? "No classifier you can see: train or upload one first"
              : "Choose a model version"}
        </option>
        {models.map((model) => (
          <optgroup key={model.id} label={`${model.owner.handle}/${model.slug}`}>
            {[...model.versions]
              .sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }))
              .map((version) => (
                <option key={version.id} value={version.id}>
                  {model.name} {version.version} · {version.labels.length} labels
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      {problem && <p className="error-message">{problem}</p>}
      <ErrorMessage error={error} />
    </div>
  );
}

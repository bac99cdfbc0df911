import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { TrainingBaseModelsDocument, type QualityReportDetailFragment } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";

export interface QualityBaseModelProps {
  value: string | null;
  onChange(versionId: string | null): void;
  judgedAgainst: QualityReportDetailFragment["baseModelVersion"];
}

/**
 * Whether an image is too small depends on the model it will train: the report judges sizes only
 * against the chosen base model's input, and says which (the base models training offers).
 */
export function QualityBaseModel({ value, onChange, judgedAgainst }: QualityBaseModelProps) {
  const id = useId();
  const { data, error } = useQuery(TrainingBaseModelsDocument, { variables: { search: null } });
  const embedder = data?.featureEmbedder?.versions.toSorted((a, b) => b.number - a.number) ?? [];
  const models = data?.models.edges.map((edge) => edge.node) ?? [];
  return (
    <div className="quality-base-model">
      <div className="field">
        <label htmlFor={id}>Judge image sizes against</label>
        <select
          id={id}
          value={value ?? ""}
          aria-describedby={`${id}-said`}
          onChange={(event) => onChange(event.target.value || null)}
        >
          <option value="">No base model (sizes not judged)</option>
          {embedder.map((version) => (
            <option key={version.id} value={version.id}>
              Feature embedder {version.version}
            </option>
          ))}
          {models.map((model) => (
            <optgroup key={model.id} label={`${model.owner.handle}/${model.slug}`}>
              {model.versions.map((version) => (
                <option key={version.id} value={version.id}>
                  {model.name} {version.version}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <p className="hint" id={`${id}-said`}>
          {judgedAgainst
            ? `Image sizes were judged against the input of ${judgedAgainst.model.name} ${judgedAgainst.version}.`
            : "The model you will train on: images it must enlarge more than 2× count as low resolution."}
        </p>
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}

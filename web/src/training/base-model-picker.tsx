import { useQuery } from "@apollo/client/react";
import { useEffect, useId, useState } from "react";
import { TrainingBaseModelsDocument, ValidationState, type TrainingBaseModelsQuery } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { Skeleton } from "../ui/skeleton";
import type { FieldMessage } from "./field-messages";
import { FieldError } from "./option-fields";
import { useDebouncedValue } from "./use-debounced-value";

type OnnxModel = TrainingBaseModelsQuery["models"]["edges"][number]["node"];
type Output = NonNullable<OnnxModel["versions"][number]["outputs"]>[number];

export interface BaseModelPickerProps {
  value: string;
  featureOutput: string;
  onChange(versionId: string): void;
  onFeatureOutputChange(output: string): void;
  message?: FieldMessage;
  featureOutputMessage?: FieldMessage;
}

const TYPING_PAUSE_MS = 300;
const FLOAT_TYPES = new Set(["FLOAT32", "FLOAT16", "FLOAT64"]);

/** As the gateway checks a base: a float output of rank 2 ([N, D]) or 4 (feature maps it averages). */
export function servesAsFeatures(output: Output): boolean {
  return FLOAT_TYPES.has(output.dataType) && (output.shape.length === 2 || output.shape.length === 4);
}

/**
 * The built-in feature embedder (chosen until the person picks another) and the ONNX versions of
 * the registry; for an ONNX base, which of its outputs to read as features.
 */
export function BaseModelPicker(props: BaseModelPickerProps) {
  const { value, onChange } = props;
  const id = useId();
  const [search, setSearch] = useState("");
  const settled = useDebouncedValue(search.trim(), TYPING_PAUSE_MS);
  const { data, previousData, loading, error } = useQuery(TrainingBaseModelsDocument, {
    variables: { search: settled || null },
    fetchPolicy: "cache-and-network",
  });
  const shown = data ?? previousData;
  const embedder = shown?.featureEmbedder?.versions.toSorted((a, b) => b.number - a.number) ?? [];
  const models = shown?.models.edges.map((edge) => edge.node) ?? [];
  const defaultVersionId = embedder[0]?.id;
  useEffect(() => {
    if (!value && defaultVersionId) onChange(defaultVersionId);
  }, [value, defaultVersionId, onChange]);

  const chosenOnnx = models.flatMap((model) => model.versions).find((version) => version.id === value);

  return (
    <div className="picker">
      <div className="field">
        <label htmlFor={`${id}-search`}>Find an ONNX base model</label>
        <input
          id={`${id}-search`}
          type="search"
          placeholder="Name, tags or description"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      {loading && !shown ? (
        <Skeleton lines={1} label="Loading base models" />
      ) : (
        <div className="field">
          <label htmlFor={`${id}-base`}>
            Base model<span aria-hidden="true"> *</span>
          </label>
          <select
            id={`${id}-base`}
            name="baseModelVersionId"
            value={value}
            aria-required
            aria-invalid={props.message ? true : undefined}
            aria-describedby={`${id}-hint${props.message ? ` ${id}-error` : ""}`}
            onChange={(event) => {
              onChange(event.target.value);
              props.onFeatureOutputChange("");
            }}
          >
            <option value="">Choose a base model</option>
            {embedder.length > 0 && (
              <optgroup label="Built in">
                {embedder.map((version) => (
                  <option key={version.id} value={version.id}>
                    Feature embedder {version.version} (system/feature-embedder)
                  </option>
                ))}
              </optgroup>
            )}
            {models.map((model) => (
              <optgroup key={model.id} label={`${model.owner.handle}/${model.slug}`}>
                {model.versions.map((version) => (
                  <option
                    key={version.id}
                    value={version.id}
                    disabled={version.validation === ValidationState.Invalid}
                  >
                    {model.name} {version.version}
                    {version.validation === ValidationState.Invalid ? " (invalid ONNX file)" : ""}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <p className="hint" id={`${id}-hint`}>
            Its features stay frozen; a head is trained on them. The built-in embedder needs no weights.
          </p>
          <FieldError id={`${id}-error`} message={props.message} />
        </div>
      )}
      <ErrorMessage error={error} />
      {chosenOnnx && (
        <FeatureOutputField
          outputs={chosenOnnx.outputs ?? []}
          value={props.featureOutput}
          onChange={props.onFeatureOutputChange}
          message={props.featureOutputMessage}
        />
      )}
      {!chosenOnnx && props.featureOutputMessage && (
        <FieldError id={`${id}-output-error`} message={props.featureOutputMessage} />
      )}
    </div>
  );
}

function FeatureOutputField({
  outputs,
  value,
  onChange,
  message,
}: {
  outputs: readonly Output[];
  value: string;
  onChange(output: string): void;
  message?: FieldMessage;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Feature output</label>
      <select
        id={id}
        name="featureOutput"
        value={value}
        aria-invalid={message ? true : undefined}
        aria-describedby={`${id}-hint${message ? ` ${id}-error` : ""}`}
        onChange={(event) => onChange(event.target.value)}
      >
        <option value="">Let the tier choose</option>
        {outputs.map((output) => (
          <option key={output.name} value={output.name} disabled={!servesAsFeatures(output)}>
            {output.name} · {output.dataType} [{output.shape.join(", ")}]
            {servesAsFeatures(output) ? "" : " (not usable as features)"}
          </option>
        ))}
      </select>
      <p className="hint" id={`${id}-hint`}>
        A float output of rank 2, or rank 4 (averaged over space): the pooled or penultimate layer.
      </p>
      <FieldError id={`${id}-error`} message={message} />
    </div>
  );
}

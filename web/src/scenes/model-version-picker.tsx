import { useQuery } from "@apollo/client/react";
import { ModelType, ReconstructionMethod, ReconstructionModelsDocument } from "../gql/graphql";
import { ErrorMessage } from "../ui/error-message";
import { formatEnum } from "../ui/format";

/**
 * The registry's model type each method calls. IMAGE_TO_3D is not (yet) a ModelType of the
 * GraphQL schema, so its models cannot be listed: the gateway then uses the deployed one.
 */
export const modelTypeOf: Partial<Record<ReconstructionMethod, ModelType>> = {
  [ReconstructionMethod.DepthMesh]: ModelType.DepthEstimation,
  [ReconstructionMethod.TextTo_3D]: ModelType.TextTo_3D,
  [ReconstructionMethod.ImageTo_3D]: ModelType.ImageTo_3D,
};

/** Every version of the models of the method's type that the person can see, newest first per model. */
export function ModelVersionPicker({
  id,
  method,
  required,
  value,
  problem,
  onChange,
}: {
  id: string;
  method: ReconstructionMethod;
  /** Without a pick, an optional picker leaves the choice to the gateway (the deployed model of the type). */
  required: boolean;
  value: string;
  problem?: string;
  onChange(versionId: string): void;
}) {
  const modelType = modelTypeOf[method];
  const { data, loading, error } = useQuery(ReconstructionModelsDocument, {
    variables: { modelType: modelType ? [modelType] : [] },
    skip: !modelType,
  });
  const versions = (data?.models.edges ?? []).flatMap(({ node }) =>
    [...node.versions]
      .sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }))
      .map((version) => ({ id: version.id, label: `${node.owner.handle}/${node.slug} ${version.version}` })),
  );
  const none = !loading && versions.length === 0;

  return (
    <div className="field">
      <label htmlFor={id}>Model version</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint`}
      >
        <option value="">
          {loading ? "Loading models…" : required ? "Choose a version" : "The deployed model of this type"}
        </option>
        {versions.map((version) => (
          <option key={version.id} value={version.id}>
            {version.label}
          </option>
        ))}
      </select>
      <p className="hint" id={`${id}-hint`}>
        {none && required
          ? `No ${formatEnum(modelType ?? "").toLowerCase()} model you can see: upload and deploy one in Models first`
          : "It must be deployed on a tier, on Triton or on a KServe v2 endpoint"}
      </p>
      {problem && <p className="error-message">{problem}</p>}
      <ErrorMessage error={error} />
    </div>
  );
}

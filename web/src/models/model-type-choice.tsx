import { ModelType } from "../gql/graphql";
import { formatEnum } from "../ui/format";

interface TypeGroup {
  label: string;
  types: ModelType[];
  /** What happens to a model of these types once it is deployed. */
  outcome(type: ModelType): string;
}

const playgroundAnswers: Partial<Record<ModelType, string>> = {
  [ModelType.Classification]: "labels an image (classifyImage)",
  [ModelType.ComputerVision]: "labels an image (classifyImage)",
  [ModelType.DepthEstimation]: "draws a depth map (estimateDepth)",
  [ModelType.Segmentation]: "draws a segmentation mask (segmentImage)",
};

/**
 * Model types by what the dashboard can do with them: the gateway serves classification, depth
 * and segmentation models for the Playground, embedders for API clients, generative 3D models for
 * Reconstructions (depth models serve DEPTH_MESH there too), and every other type
 * as raw tensors only (KServe/Triton clients), which nothing here can show yet.
 */
const groups: TypeGroup[] = [
  {
    label: "Can be tried in the Playground",
    types: [
      ModelType.Classification,
      ModelType.ComputerVision,
      ModelType.DepthEstimation,
      ModelType.Segmentation,
    ],
    outcome: (type) => `Once deployed, it ${playgroundAnswers[type]} and can be tried in the Playground.`,
  },
  {
    label: "Served to API clients",
    types: [ModelType.Embedding],
    outcome: () =>
      "Once deployed, it turns images into vectors for API clients (embedImage) and can compute a dataset's " +
      "embeddings; the Playground does not show vectors.",
  },
  {
    label: "Makes 3D models (Reconstructions)",
    types: [ModelType.TextTo_3D, ModelType.ImageTo_3D],
    outcome: (type) =>
      `It turns ${type === ModelType.TextTo_3D ? "a prompt" : "an image"} into a mesh in Reconstructions ` +
      "once deployed, or (an admin's model) once its metadata names the Triton model that serves it (kserveModel).",
  },
  {
    label: "Stored only: nothing can be shown yet",
    types: Object.values(ModelType).filter(
      (type) =>
        type !== ModelType.Embedding &&
        type !== ModelType.TextTo_3D &&
        type !== ModelType.ImageTo_3D &&
        !(type in playgroundAnswers),
    ),
    outcome: () =>
      "Stored, versioned and downloadable. Deployed, it is served only as raw tensors to KServe or Triton " +
      "clients: the Playground cannot run it, and the dashboard shows no results for it.",
  },
];

/** The sentence under the choice: what the chosen type leads to. */
export function modelTypeOutcome(type: ModelType | ""): string {
  if (type === "") {
    return (
      "Not set: a new model is stored as Other (nothing can be shown for it yet); a new version keeps " +
      "its model's type."
    );
  }
  return groups.find((entry) => entry.types.includes(type))?.outcome(type) ?? "";
}

/** The model type, grouped by what can be done with it, and what the chosen one will do. */
export function ModelTypeChoice({
  id,
  value,
  onChange,
}: {
  id: string;
  value: ModelType | "";
  onChange(value: ModelType | ""): void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Model type</label>
      <select
        id={id}
        value={value}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value as ModelType | "")}
      >
        <option value="">Not set</option>
        {groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.types.map((type) => (
              <option key={type} value={type}>
                {formatEnum(type)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <p className="hint" id={`${id}-hint`}>
        {modelTypeOutcome(value)}
      </p>
    </div>
  );
}

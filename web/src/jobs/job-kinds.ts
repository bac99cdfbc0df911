import { JobKind } from "../gql/graphql";
import { formatEnum } from "../ui/format";

/** Each kind in the user's words; kinds the dashboard does not know yet read as their enum name. */
const kindLabels: Record<string, string> = {
  [JobKind.EmbedDatasetVersion]: "Embeddings",
  [JobKind.TrainModel]: "Training",
};

export function jobKindLabel(kind: string): string {
  return kindLabels[kind] ?? formatEnum(kind);
}

/** What a job works on, by id, as its kind's payload states it. */
export type JobTarget =
  | { kind: "training-job"; trainingJobId: string }
  | { kind: "dataset-version"; datasetVersionId: string }
  | { kind: "unknown" };

/**
 * Reads the payload (JSON, so checked here) of the kinds the dashboard links from. A training
 * job's id equals its Job's id, which stands in when the payload does not say.
 */
export function jobTarget(job: { id: string; kind: string; payload: unknown }): JobTarget {
  const payload = typeof job.payload === "object" && job.payload !== null ? job.payload : {};
  const field = (name: string) => {
    const value = (payload as Record<string, unknown>)[name];
    return typeof value === "string" && value !== "" ? value : null;
  };
  if (job.kind === JobKind.TrainModel) {
    return { kind: "training-job", trainingJobId: field("trainingJobId") ?? job.id };
  }
  const datasetVersionId = field("datasetVersionId");
  if (job.kind === JobKind.EmbedDatasetVersion && datasetVersionId) {
    return { kind: "dataset-version", datasetVersionId };
  }
  return { kind: "unknown" };
}

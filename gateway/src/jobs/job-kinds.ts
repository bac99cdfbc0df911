import { embeddingJobKind } from "../datasets/embeddings/embedding-job-kind";
import { embeddingMapJobKind } from "../datasets/embeddings/maps/embedding-map-job-kind";
import { reconstructionJobEvents } from "../reconstructions/reconstruction-job-events";
import { reconstructionJobKind } from "../reconstructions/reconstruction-job-kind";
import { trainingJobEvents } from "../training/training-job-events";
import { trainingJobKind } from "../training/training-job-kind";
import { adjustmentJobKind } from "../feedback/predictions/adjustment-job-kind";
import { retrainJobKind } from "../feedback/retraining/retrain-job-kind";
import type { KindEvents } from "./kind-events";
import type { JobKind } from "./job-kind";

/**
 * Every kind of job, in one explicit list: the JobKind enum and the JobEvent union of the API
 * are built from it. A new kind adds its declaration (and the GraphQL members of its own
 * events) here, and its handler where processes start workers (the composition root).
 */
export const jobKinds: ReadonlyArray<{ kind: JobKind<never, object>; events: KindEvents }> = [
  { kind: embeddingJobKind as JobKind<never, object>, events: {} },
  { kind: trainingJobKind as JobKind<never, object>, events: trainingJobEvents },
  { kind: reconstructionJobKind as JobKind<never, object>, events: reconstructionJobEvents },
  { kind: adjustmentJobKind as JobKind<never, object>, events: {} },
  { kind: retrainJobKind as JobKind<never, object>, events: {} },
  { kind: embeddingMapJobKind as JobKind<never, object>, events: {} },
];

export const jobKindByName = new Map(jobKinds.map((entry) => [entry.kind.name, entry]));
export const jobKindByGraphQLName = new Map(jobKinds.map((entry) => [entry.kind.graphqlName, entry]));

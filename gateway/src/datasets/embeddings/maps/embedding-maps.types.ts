import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { JobError, JobStatus } from "../../../jobs/jobs.types";
import { limits } from "../../../limits";

export enum ProjectionMethod {
  PCA = "PCA",
  UMAP = "UMAP",
}
registerEnumType(ProjectionMethod, {
  name: "ProjectionMethod",
  description:
    "How vectors are put on two dimensions: PCA (the first two principal components; up to " +
    `${limits.embeddingMap.maxPoints} points) or UMAP (umap-js, 15 neighbours, minimum distance 0.1, 200 epochs, ` +
    `cosine distance, seed 1; up to ${limits.embeddingMap.umapMaxPoints} points)`,
});

@ObjectType({ description: "A map's points, in one order: point i is sampleIds[i]" })
export class EmbeddingMapPoints {
  @Field(() => [ID])
  sampleIds!: string[];

  @Field(() => [ID], { description: "The class of each point in this version" })
  classIds!: string[];

  @Field(() => [Float], { description: "x0, y0, x1, y1, …, each in [-1, 1] (one scale for both axes)" })
  coordinates!: number[];
}

@ObjectType({
  description:
    "A dataset version's labelled samples' vectors in one embedding space, projected onto two dimensions once " +
    "by a job and stored (computeEmbeddingMap)",
})
export class EmbeddingMap {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The embedding space\'s key, e.g. "FEATURE/256"' })
  space!: string;

  @Field(() => ProjectionMethod)
  method!: ProjectionMethod;

  @Field(() => JobStatus, { description: "The status of the map's latest job" })
  status!: JobStatus;

  @Field(() => Float, { description: "0 to 1" })
  progress!: number;

  @Field(() => JobError, {
    nullable: true,
    description: "Why the latest job failed, or why it waits for a retry",
  })
  error!: JobError | null;

  @Field(() => ID, { nullable: true, description: "The latest job (the Jobs page shows it)" })
  jobId!: string | null;

  @Field(() => Int, { description: "Points of the stored map (0 until one is stored)" })
  pointCount!: number;

  @Field(() => Date, { nullable: true, description: "When the stored points were computed" })
  computedAt!: Date | null;

  @Field(() => [Float], {
    nullable: true,
    description: "PCA only: the share of the total variance along each axis, 0 to 1",
  })
  explainedVariance!: number[] | null;

  versionId!: string;
  spaceId!: string;
  /** What the stored points were computed from (see VectorsFingerprint). */
  fingerprint!: { count: number; latest: string | null } | null;
}

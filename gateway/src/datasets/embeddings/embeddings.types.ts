import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { connectionOf, type Connection } from "../../graphql/connection";
import { EmbeddingMethod } from "../../inference/inference.types";
import { Sample } from "../datasets.types";

export enum EmbeddingRunState {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
}
registerEnumType(EmbeddingRunState, {
  name: "EmbeddingRunState",
  description: "QUEUED also covers a run waiting to be retried (see `error` for why)",
});

@InputType({ description: "Which embedding space to embed into; FEATURE at 256 dimensions by default" })
export class EmbeddingOptionsInput {
  @Field(() => EmbeddingMethod, { nullable: true, defaultValue: EmbeddingMethod.FEATURE })
  method?: EmbeddingMethod | null;

  @Field(() => Int, { nullable: true, defaultValue: 256, description: "1 to 2000" })
  dimension?: number | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "An ONNX backbone version; required for ML and HYBRID. For FEATURE: a version of system/feature-embedder (v1 or v2), default v2",
  })
  modelVersionId?: string | null;

  @Field(() => Float, {
    nullable: true,
    description:
      "Samples whose embedding quality (cosine similarity to their class's centroid, -1 to 1) is below this are flagged",
  })
  qualityThreshold?: number | null;
}

@ObjectType({ description: "Progress of embedding one dataset version into one space" })
export class EmbeddingStatus {
  @Field(() => String, { description: 'The space\'s key, e.g. "FEATURE/256" or "ML/<modelVersionId>/512"' })
  space!: string;

  @Field(() => EmbeddingMethod)
  method!: EmbeddingMethod;

  @Field(() => Int)
  dimension!: number;

  @Field(() => ID, { nullable: true })
  modelVersionId!: string | null;

  @Field(() => Int)
  total!: number;

  @Field(() => Int)
  done!: number;

  @Field(() => Int, { description: "Images the tier could not embed (skipped, not retried)" })
  failed!: number;

  @Field(() => EmbeddingRunState)
  state!: EmbeddingRunState;

  @Field(() => String, { nullable: true, description: "Why the run failed, or why it waits for a retry" })
  error!: string | null;

  @Field(() => Float, { nullable: true })
  qualityThreshold!: number | null;

  datasetVersionId!: string;
  spaceId!: string;
}

@ObjectType()
export class SimilarSample {
  @Field(() => Sample, { description: "As in the latest version of its dataset that holds it" })
  sample!: Sample;

  @Field(() => Float, { description: "Cosine distance, 0 (same direction) to 2 (opposite)" })
  distance!: number;
}

@ObjectType({ description: "One sample's raw vector in one space" })
export class SampleEmbedding {
  @Field(() => ID)
  sampleId!: string;

  @Field(() => [Float])
  vector!: number[];

  @Field(() => Float, { nullable: true })
  quality!: number | null;
}

export const EmbeddingConnection = connectionOf(() => SampleEmbedding, "Embedding", {
  edgeName: "SampleEmbeddingEdge",
});
export type EmbeddingConnection = Connection<SampleEmbedding>;

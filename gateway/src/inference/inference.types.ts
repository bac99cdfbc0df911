import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";

@InputType({ description: "Exactly one of an uploaded image or a dataset sample" })
export class ImageInput {
  @Field(() => GraphQLUpload, { nullable: true })
  upload?: Promise<FileUpload> | null;

  @Field(() => ID, { nullable: true })
  sampleId?: string | null;
}

export enum EmbeddingMethod {
  FEATURE = "FEATURE",
  ML = "ML",
  HYBRID = "HYBRID",
}
registerEnumType(EmbeddingMethod, {
  name: "EmbeddingMethod",
  description:
    "FEATURE: the built-in colour/texture embedder; ML: an ONNX backbone's pooled output; HYBRID: both, concatenated",
});

@ObjectType({ description: "One class of a model's answer and its probability" })
export class LabelScore {
  @Field(() => String)
  label!: string;

  @Field(() => Float)
  score!: number;

  @Field(() => Int, { description: "Position in the model's output" })
  index!: number;
}

@ObjectType({
  description:
    "The model's scores corrected by what its feedback taught (never in place of the raw ones); present only while cross-validation on held-out feedback shows the correction helps",
})
export class AdjustedPredictions {
  @Field(() => [LabelScore], { description: "Highest score first" })
  predictions!: LabelScore[];

  @Field(() => String, { description: 'How the scores were corrected, e.g. "vector-scaling"' })
  method!: string;

  @Field(() => Float, {
    description: "Held-out accuracy gained on the version's feedback (accuracyAfter − accuracyBefore), 0–1",
  })
  improvement!: number;
}

@ObjectType()
export class Classification {
  @Field(() => [LabelScore], { description: "Highest score first" })
  predictions!: LabelScore[];

  @Field(() => ID, {
    nullable: true,
    description:
      "The logged prediction, for recordFeedback; null when the deployment's prediction log is off",
  })
  predictionId!: string | null;

  @Field(() => AdjustedPredictions, {
    nullable: true,
    description:
      "Beside `predictions`, the top-k after the version's active feedback adjustment; null when none is active",
  })
  adjustedPredictions!: AdjustedPredictions | null;

  @Field(() => Float, { description: "Time spent in the inference tier" })
  latencyMs!: number;

  @Field(() => ID)
  modelVersionId!: string;
}

@ObjectType()
export class ImageEmbedding {
  @Field(() => [Float], { description: "L2-normalised" })
  vector!: number[];

  @Field(() => Int)
  dimension!: number;

  @Field(() => EmbeddingMethod)
  method!: EmbeddingMethod;

  @Field(() => Float)
  latencyMs!: number;

  @Field(() => ID)
  modelVersionId!: string;
}

@ObjectType()
export class DepthEstimate {
  @Field(() => String, {
    description: "16-bit greyscale PNG of depth, min→0, max→65535 (signed, short-lived URL)",
  })
  depthUrl!: string;

  @Field(() => String, { description: "Colourised preview PNG (turbo colour map), at the input size" })
  previewUrl!: string;

  @Field(() => Float, { description: "Smallest raw depth value the model produced" })
  min!: number;

  @Field(() => Float)
  max!: number;

  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => Float)
  latencyMs!: number;

  @Field(() => ID)
  modelVersionId!: string;
}

@ObjectType()
export class SegmentClass {
  @Field(() => Int)
  index!: number;

  @Field(() => String)
  label!: string;

  @Field(() => Float)
  pixelCount!: number;

  @Field(() => Float, { description: "Share of the image's pixels, 0–1" })
  fraction!: number;
}

@ObjectType()
export class Segmentation {
  @Field(() => String, { description: "PNG whose pixel values are class indices, at the input size" })
  maskUrl!: string;

  @Field(() => [SegmentClass], { description: "Classes present, largest first" })
  classes!: SegmentClass[];

  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => Float)
  latencyMs!: number;

  @Field(() => ID)
  modelVersionId!: string;
}

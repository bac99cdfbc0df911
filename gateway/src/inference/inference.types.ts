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

@ObjectType()
export class Prediction {
  @Field(() => String)
  label!: string;

  @Field(() => Float)
  score!: number;

  @Field(() => Int, { description: "Position in the model's output" })
  index!: number;
}

@ObjectType()
export class Classification {
  @Field(() => [Prediction], { description: "Highest score first" })
  predictions!: Prediction[];

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

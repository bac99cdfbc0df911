import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import { ModelVersion } from "../models/models.types";

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

export enum MemberRole {
  MEMBER = "MEMBER",
  FALLBACK = "FALLBACK",
}
registerEnumType(MemberRole, {
  name: "MemberRole",
  description: "FALLBACK members answer only when a MEMBER fails, times out, is rate-limited or open",
});

@ObjectType({ description: "Why a member gave no answer" })
export class ServingError {
  @Field(() => String, {
    description:
      "An error code (SERVICE_UNAVAILABLE, TIMEOUT, RATE_LIMITED, CIRCUIT_OPEN, BAD_RESPONSE, NOT_FOUND, …)",
  })
  code!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: "What one member of an ensemble answered" })
export class MemberClassification {
  @Field(() => ID, { nullable: true, description: "Null when you cannot see the member, or it was deleted" })
  modelVersionId!: string;

  @Field(() => ModelVersion, { nullable: true, description: "Null when you cannot see the member" })
  modelVersion!: ModelVersion | null;

  @Field(() => MemberRole)
  role!: MemberRole;

  @Field(() => Float)
  weight!: number;

  @Field(() => [LabelScore], { description: "Its top-k, highest first; empty when it failed" })
  predictions!: LabelScore[];

  @Field(() => Float, { description: "From the member's call to its answer or failure" })
  latencyMs!: number;

  @Field(() => String, {
    description: 'Where it ran: "tier:<address>", "remote:<host>", "cache", or "none" when it failed',
  })
  servedBy!: string;

  @Field(() => ServingError, { nullable: true })
  error!: ServingError | null;
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

  @Field(() => Float, {
    description:
      "Time spent answering: in the inference tier, the remote endpoint, or for an ensemble from its first member's call to the blend (0 for a cached answer)",
  })
  latencyMs!: number;

  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => String, {
    description:
      'Where the answer came from: "tier:<address>", "remote:<host>", "ensemble", or "cache" (an earlier answer for the same image bytes and served version)',
  })
  servedBy!: string;

  @Field(() => Boolean, { description: "Answered from the prediction cache" })
  cached!: boolean;

  @Field(() => Boolean, {
    description: "An ensemble answered without every member (a member failed or timed out; see `members`)",
  })
  degraded!: boolean;

  @Field(() => [MemberClassification], {
    nullable: true,
    description:
      "For an ensemble: each member's answer beside the blend (members, then any fallbacks that ran)",
  })
  members!: MemberClassification[] | null;
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

@ObjectType({ description: "A box in source-image pixels: (x1, y1) top left, (x2, y2) bottom right" })
export class BoundingBox {
  @Field(() => Float)
  x1!: number;

  @Field(() => Float)
  y1!: number;

  @Field(() => Float)
  x2!: number;

  @Field(() => Float)
  y2!: number;
}

@ObjectType()
export class DetectedObject {
  @Field(() => String)
  label!: string;

  @Field(() => Float)
  score!: number;

  @Field(() => Int, { description: "The class's position in the model's output" })
  classIndex!: number;

  @Field(() => BoundingBox)
  box!: BoundingBox;
}

@ObjectType()
export class ObjectDetections {
  @Field(() => [DetectedObject], {
    description: "After per-class non-maximum suppression, highest score first",
  })
  detections!: DetectedObject[];

  @Field(() => Int, { description: "Of the source image (after EXIF orientation)" })
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => Float)
  latencyMs!: number;

  @Field(() => String, {
    description: "The image with its boxes and labels drawn, PNG (signed, short-lived URL)",
  })
  annotatedImageUrl!: string;

  @Field(() => ID)
  modelVersionId!: string;
}

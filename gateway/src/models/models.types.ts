import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { connectionOf, type Connection } from "../graphql/connection";

export enum Framework {
  PYTORCH = "PYTORCH",
  TENSORFLOW = "TENSORFLOW",
  SKLEARN = "SKLEARN",
  ONNX = "ONNX",
  KERAS = "KERAS",
  HUGGINGFACE = "HUGGINGFACE",
  OTHER = "OTHER",
  /** Run by the gateway: createEnsemble and registerRemoteModel make these, never an upload. */
  ENSEMBLE = "ENSEMBLE",
  REMOTE = "REMOTE",
}
registerEnumType(Framework, {
  name: "Framework",
  description:
    "Detected from file extensions when not given (.onnx, .pth/.pt, .h5, .pb, .pkl/.joblib, .bin/.safetensors)",
});

export enum ModelType {
  CLASSIFICATION = "CLASSIFICATION",
  REGRESSION = "REGRESSION",
  CLUSTERING = "CLUSTERING",
  NLP = "NLP",
  COMPUTER_VISION = "COMPUTER_VISION",
  DETECTION = "DETECTION",
  SEGMENTATION = "SEGMENTATION",
  DEPTH_ESTIMATION = "DEPTH_ESTIMATION",
  EMBEDDING = "EMBEDDING",
  RECONSTRUCTION_3D = "RECONSTRUCTION_3D",
  TEXT_TO_3D = "TEXT_TO_3D",
  IMAGE_TO_3D = "IMAGE_TO_3D",
  RECOMMENDATION = "RECOMMENDATION",
  TIME_SERIES = "TIME_SERIES",
  REINFORCEMENT_LEARNING = "REINFORCEMENT_LEARNING",
  OTHER = "OTHER",
}
registerEnumType(ModelType, { name: "ModelType" });

export enum ValidationState {
  UNCHECKED = "UNCHECKED",
  VALID = "VALID",
  INVALID = "INVALID",
}
registerEnumType(ValidationState, {
  name: "ValidationState",
  description: "Whether the primary file was read successfully (ONNX files are opened with ONNX Runtime)",
});

@ObjectType({ description: "An input or output tensor of a model" })
export class TensorSpec {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "FLOAT32, INT64, UINT8, …" })
  dataType!: string;

  @Field(() => [Int], { description: "Dimensions; -1 where the size is dynamic" })
  shape!: number[];

  @Field(() => [String], {
    description: "Dimensions as written in the model, with symbolic names (e.g. `batch`)",
  })
  dimensions!: string[];
}

@ObjectType()
export class ModelMetrics {
  @Field(() => Float, { nullable: true })
  trainingAccuracy!: number | null;

  @Field(() => Float, { nullable: true })
  validationAccuracy!: number | null;

  @Field(() => Float, { nullable: true })
  testAccuracy!: number | null;

  @Field(() => Float, { nullable: true })
  trainingLoss!: number | null;

  @Field(() => GraphQLJSON, { nullable: true, description: "Any other metrics, as a JSON object" })
  extra!: unknown;
}

@ObjectType({ description: "One file of a model version, stored by content (sha256)" })
export class ModelFile {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  path!: string;

  @Field(() => Float)
  sizeBytes!: number;

  @Field(() => String)
  sha256!: string;

  @Field(() => String)
  contentType!: string;

  @Field(() => String, { description: "weights, config, text, code, data, image or other" })
  fileType!: string;

  @Field(() => Boolean)
  isPrimary!: boolean;

  versionId!: string;
}

@ObjectType({ description: "An immutable upload of a model: its files and what is known about them" })
export class ModelVersion {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: '"v1", "v2", … unless a name was given at upload' })
  version!: string;

  @Field(() => Int, {
    description: "Upload order within the model (the numeric version a KServe client uses)",
  })
  number!: number;

  @Field(() => [TensorSpec], { nullable: true })
  inputs!: TensorSpec[] | null;

  @Field(() => [TensorSpec], { nullable: true })
  outputs!: TensorSpec[] | null;

  @Field(() => GraphQLJSON, { nullable: true })
  inputShape!: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  outputShape!: unknown;

  @Field(() => Int, { nullable: true, description: "ONNX opset of the default domain" })
  opset!: number | null;

  @Field(() => Float, { nullable: true })
  numParameters!: number | null;

  @Field(() => Float, { description: "Sum of the files' sizes" })
  sizeBytes!: number;

  @Field(() => [String], { description: "Class names, in output order" })
  labels!: string[];

  @Field(() => ModelMetrics)
  metrics!: ModelMetrics;

  @Field(() => String, { nullable: true })
  pythonVersion!: string | null;

  @Field(() => [String])
  dependencies!: string[];

  @Field(() => GraphQLJSON, { nullable: true })
  hardwareRequirements!: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  customMetadata!: unknown;

  @Field(() => Boolean)
  isActive!: boolean;

  @Field(() => Boolean)
  isProductionReady!: boolean;

  @Field(() => ValidationState)
  validation!: ValidationState;

  @Field(() => String, { nullable: true, description: "Why the primary file could not be read" })
  invalidReason!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  modelId!: string;
}

@ObjectType({ description: "A named pointer such as `production` → a version; unique per model" })
export class ModelAlias {
  @Field(() => String)
  alias!: string;

  @Field(() => Date)
  updatedAt!: Date;

  versionId!: string;
}

@ObjectType({ description: "A model in the registry: a named, owned series of versions" })
export class Model {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "Unique per owner; lowercase letters, digits, `-`, `_`, `.`" })
  slug!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Framework)
  framework!: Framework;

  @Field(() => ModelType)
  modelType!: ModelType;

  @Field(() => String, { nullable: true })
  algorithm!: string | null;

  @Field(() => [String])
  tags!: string[];

  @Field(() => Boolean)
  isPublic!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  ownerId!: string;
}

export const ModelConnection = connectionOf(() => Model, "Model");
export type ModelConnection = Connection<Model>;

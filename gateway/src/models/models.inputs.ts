import { Field, Float, InputType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { Framework, ModelType } from "./models.types";

@InputType()
export class ModelMetricsInput {
  @Field(() => Float, { nullable: true })
  trainingAccuracy?: number | null;

  @Field(() => Float, { nullable: true })
  validationAccuracy?: number | null;

  @Field(() => Float, { nullable: true })
  testAccuracy?: number | null;

  @Field(() => Float, { nullable: true })
  trainingLoss?: number | null;

  @Field(() => GraphQLJSON, { nullable: true })
  extra?: Record<string, unknown> | null;
}

@InputType({ description: "Names the model by slug (created on first upload) and describes the new version" })
export class UploadModelInput {
  @Field(() => String)
  slug!: string;

  @Field(() => String, { nullable: true, description: "Defaults to the slug" })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Framework, { nullable: true, description: "Detected from file extensions when omitted" })
  framework?: Framework | null;

  @Field(() => ModelType, { nullable: true })
  modelType?: ModelType | null;

  @Field(() => String, { nullable: true })
  algorithm?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  isPublic?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Version name; "v<N>" in upload order when omitted' })
  version?: string | null;

  @Field(() => String, { nullable: true, description: "Path of the main weights file" })
  primaryFile?: string | null;

  @Field(() => [String], { nullable: true, description: "Class names; read from ONNX metadata when omitted" })
  labels?: string[] | null;

  @Field(() => GraphQLJSON, { nullable: true })
  inputShape?: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  outputShape?: unknown;

  @Field(() => Float, { nullable: true })
  numParameters?: number | null;

  @Field(() => ModelMetricsInput, { nullable: true })
  metrics?: ModelMetricsInput | null;

  @Field(() => String, { nullable: true })
  pythonVersion?: string | null;

  @Field(() => [String], { nullable: true })
  dependencies?: string[] | null;

  @Field(() => GraphQLJSON, { nullable: true })
  hardwareRequirements?: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  customMetadata?: unknown;

  @Field(() => Boolean, { nullable: true })
  isProductionReady?: boolean | null;
}

@InputType({ description: "Changes to a version's metadata; its files and name never change" })
export class ModelVersionPatch {
  @Field(() => [String], { nullable: true })
  labels?: string[] | null;

  @Field(() => ModelMetricsInput, { nullable: true })
  metrics?: ModelMetricsInput | null;

  @Field(() => GraphQLJSON, { nullable: true })
  inputShape?: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  outputShape?: unknown;

  @Field(() => String, { nullable: true })
  pythonVersion?: string | null;

  @Field(() => [String], { nullable: true })
  dependencies?: string[] | null;

  @Field(() => GraphQLJSON, { nullable: true })
  hardwareRequirements?: unknown;

  @Field(() => GraphQLJSON, { nullable: true })
  customMetadata?: unknown;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  isProductionReady?: boolean | null;
}

@InputType({ description: "Changes to a model's own fields" })
export class ModelPatch {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ModelType, { nullable: true })
  modelType?: ModelType | null;

  @Field(() => String, { nullable: true })
  algorithm?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  isPublic?: boolean | null;
}

@InputType()
export class ModelFilter {
  @Field(() => [Framework], { nullable: true })
  framework?: Framework[] | null;

  @Field(() => [ModelType], { nullable: true })
  modelType?: ModelType[] | null;

  @Field(() => [String], { nullable: true, description: "Models carrying all of these tags" })
  tags?: string[] | null;

  @Field(() => String, { nullable: true, description: "Owner's handle" })
  owner?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Models with at least one production-ready version" })
  isProductionReady?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  isPublic?: boolean | null;
}

@InputType({ description: "A Hugging Face Hub repository to import files from" })
export class HuggingFaceSourceInput {
  @Field(() => String, { description: "e.g. `org/model-name`" })
  repoId!: string;

  @Field(() => String, { nullable: true, defaultValue: "main" })
  revision?: string | null;

  @Field(() => [String], { nullable: true, description: "Globs of files to import, e.g. `*.onnx`" })
  allowPatterns?: string[] | null;

  @Field(() => [String], { nullable: true })
  ignorePatterns?: string[] | null;
}

@InputType({ description: "Exactly one of `huggingFace` or `url`" })
export class ImportModelInput {
  @Field(() => UploadModelInput)
  model!: UploadModelInput;

  @Field(() => HuggingFaceSourceInput, { nullable: true })
  huggingFace?: HuggingFaceSourceInput | null;

  @Field(() => String, { nullable: true, description: "A direct http(s) URL of one model file" })
  url?: string | null;
}

import { Field, Float, InputType } from "type-graphql";
import { GraphQLJSON } from "graphql-scalars";
import { limitNotes } from "../limits";
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

  @Field(() => GraphQLJSON, { nullable: true, description: limitNotes.json })
  extra?: Record<string, unknown> | null;
}

@InputType({ description: "Names the model by slug (created on first upload) and describes the new version" })
export class UploadModelInput {
  @Field(() => String)
  slug!: string;

  @Field(() => String, { nullable: true, description: `Defaults to the slug; ${limitNotes.name}` })
  name?: string | null;

  @Field(() => String, { nullable: true, description: limitNotes.description })
  description?: string | null;

  @Field(() => Framework, { nullable: true, description: "Detected from file extensions when omitted" })
  framework?: Framework | null;

  @Field(() => ModelType, { nullable: true })
  modelType?: ModelType | null;

  @Field(() => String, { nullable: true, description: limitNotes.name })
  algorithm?: string | null;

  @Field(() => [String], { nullable: true, description: limitNotes.tags })
  tags?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  isPublic?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Version name; "v<N>" in upload order when omitted' })
  version?: string | null;

  @Field(() => String, { nullable: true, description: "Path of the main weights file" })
  primaryFile?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: `Class names; read from ONNX metadata when omitted; ${limitNotes.labels.toLowerCase()}`,
  })
  labels?: string[] | null;

  @Field(() => GraphQLJSON, { nullable: true, description: limitNotes.jsonValue })
  inputShape?: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: limitNotes.jsonValue })
  outputShape?: unknown;

  @Field(() => Float, { nullable: true })
  numParameters?: number | null;

  @Field(() => ModelMetricsInput, { nullable: true })
  metrics?: ModelMetricsInput | null;

  @Field(() => String, { nullable: true, description: limitNotes.name })
  pythonVersion?: string | null;

  @Field(() => [String], { nullable: true, description: limitNotes.dependencies })
  dependencies?: string[] | null;

  @Field(() => GraphQLJSON, { nullable: true, description: limitNotes.json })
  hardwareRequirements?: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: limitNotes.json })
  customMetadata?: unknown;

  @Field(() => Boolean, { nullable: true })
  isProductionReady?: boolean | null;
}

@InputType({ description: "Changes to a version's metadata; its files and name never change" })
export class ModelVersionPatch {
  @Field(() => [String], { nullable: true, description: limitNotes.labels })
  labels?: string[] | null;

  @Field(() => ModelMetricsInput, { nullable: true })
  metrics?: ModelMetricsInput | null;

  @Field(() => GraphQLJSON, { nullable: true, description: limitNotes.jsonValue })
  inputShape?: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: limitNotes.jsonValue })
  outputShape?: unknown;

  @Field(() => String, { nullable: true, description: limitNotes.name })
  pythonVersion?: string | null;

  @Field(() => [String], { nullable: true, description: limitNotes.dependencies })
  dependencies?: string[] | null;

  @Field(() => GraphQLJSON, { nullable: true, description: limitNotes.json })
  hardwareRequirements?: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: limitNotes.json })
  customMetadata?: unknown;

  @Field(() => Boolean, { nullable: true })
  isActive?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  isProductionReady?: boolean | null;
}

@InputType({ description: "Changes to a model's own fields" })
export class ModelPatch {
  @Field(() => String, { nullable: true, description: limitNotes.name })
  name?: string | null;

  @Field(() => String, { nullable: true, description: limitNotes.description })
  description?: string | null;

  @Field(() => ModelType, { nullable: true })
  modelType?: ModelType | null;

  @Field(() => String, { nullable: true, description: limitNotes.name })
  algorithm?: string | null;

  @Field(() => [String], { nullable: true, description: limitNotes.tags })
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

  @Field(() => [String], {
    nullable: true,
    description: `Models carrying all of these tags; ${limitNotes.tags.toLowerCase()}`,
  })
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

  @Field(() => [String], {
    nullable: true,
    description: `Globs of files to import, e.g. \`*.onnx\`; ${limitNotes.filePatterns.toLowerCase()}`,
  })
  allowPatterns?: string[] | null;

  @Field(() => [String], { nullable: true, description: limitNotes.filePatterns })
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

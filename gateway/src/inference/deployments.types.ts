import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { limits } from "../limits";

const bounds = limits.deployment;
const imageSide = "1 to the server's TESSERA_MAX_PREPROCESSING_SIZE (default 4096)";

export enum DeploymentState {
  LOADING = "LOADING",
  READY = "READY",
  FAILED = "FAILED",
  UNLOADING = "UNLOADING",
}
registerEnumType(DeploymentState, { name: "DeploymentState" });

export enum InferenceTask {
  CLASSIFICATION = "CLASSIFICATION",
  EMBEDDING = "EMBEDDING",
  DEPTH = "DEPTH",
  SEGMENTATION = "SEGMENTATION",
  DETECTION = "DETECTION",
  RAW = "RAW",
}
registerEnumType(InferenceTask, {
  name: "InferenceTask",
  description: "What the deployed model answers; RAW models are served for KServe clients only",
});

export enum ExecutionProvider {
  CPU = "CPU",
  CUDA = "CUDA",
  TENSORRT = "TENSORRT",
}
registerEnumType(ExecutionProvider, {
  name: "ExecutionProvider",
  description: "ONNX Runtime providers, tried in order; one a tier lacks falls back to CPU",
});

export enum TensorLayout {
  NCHW = "NCHW",
  NHWC = "NHWC",
}
registerEnumType(TensorLayout, { name: "TensorLayout" });

export enum ColorOrder {
  RGB = "RGB",
  BGR = "BGR",
}
registerEnumType(ColorOrder, { name: "ColorOrder" });

export enum ResizeMode {
  STRETCH = "STRETCH",
  COVER = "COVER",
  LETTERBOX = "LETTERBOX",
}
registerEnumType(ResizeMode, {
  name: "ResizeMode",
  description:
    "COVER keeps the aspect ratio and centre-crops; LETTERBOX keeps it and pads with grey 114 (YOLO's preprocessing, the default for DETECTION)",
});

export enum HostedOn {
  TIER = "TIER",
  TRITON = "TRITON",
  GATEWAY = "GATEWAY",
}
registerEnumType(HostedOn, {
  name: "HostedOn",
  description:
    "TRITON sends raw tensors to the Triton server at the tier's TRITON_URL; GATEWAY is set by the gateway for ENSEMBLE and REMOTE versions, which no tier loads (their members and endpoints are called from the gateway)",
});

@ObjectType({ description: "How an image becomes the model's input tensor" })
export class Preprocessing {
  @Field(() => Int, { nullable: true, description: "Null: the model's own input width" })
  width!: number | null;

  @Field(() => Int, { nullable: true })
  height!: number | null;

  @Field(() => TensorLayout)
  layout!: TensorLayout;

  @Field(() => ColorOrder)
  colorOrder!: ColorOrder;

  @Field(() => [Float], { description: "Per channel: (pixel / 255 - mean) / std" })
  mean!: number[];

  @Field(() => [Float])
  std!: number[];

  @Field(() => ResizeMode)
  resize!: ResizeMode;
}

@InputType()
export class PreprocessingInput {
  @Field(() => Int, {
    nullable: true,
    description: `Pixels, ${imageSide}; null: the model's own input width`,
  })
  width?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: `Pixels, ${imageSide}; null: the model's own input height`,
  })
  height?: number | null;

  @Field(() => TensorLayout, { nullable: true })
  layout?: TensorLayout | null;

  @Field(() => ColorOrder, { nullable: true })
  colorOrder?: ColorOrder | null;

  @Field(() => [Float], { nullable: true, description: "3 values, one per channel" })
  mean?: number[] | null;

  @Field(() => [Float], { nullable: true, description: "3 values above 0, one per channel" })
  std?: number[] | null;

  @Field(() => ResizeMode, { nullable: true })
  resize?: ResizeMode | null;
}

@ObjectType({ description: "Whether and how long a deployment keeps what it answered (the prediction log)" })
export class PredictionLogConfig {
  @Field(() => Boolean, { description: "classifyImage stores each answer and returns its predictionId" })
  enabled!: boolean;

  @Field(() => Int, { description: "Logged predictions (and their images) are deleted after this many days" })
  retentionDays!: number;

  @Field(() => Boolean, { description: "Whether the classified image is kept with the prediction" })
  keepImages!: boolean;
}

@InputType()
export class PredictionLogInput {
  @Field(() => Boolean, { nullable: true, defaultValue: true })
  enabled?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: 30,
    description: `1 to ${limits.predictions.retentionDays}`,
  })
  retentionDays?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description:
      "An uploaded image is stored once per distinct content; a dataset sample's is only referenced",
  })
  keepImages?: boolean | null;
}

@ObjectType({ description: "How a model version is served; every field has a resolved value" })
export class DeploymentConfig {
  @Field(() => InferenceTask)
  task!: InferenceTask;

  @Field(() => Int, { description: "0: the model takes no batch dimension and runs one request at a time" })
  maxBatchSize!: number;

  @Field(() => [Int])
  preferredBatchSizes!: number[];

  @Field(() => Int, { description: "How long a request may wait for others to share its batch" })
  maxQueueDelayMicroseconds!: number;

  @Field(() => Int, { description: "Requests waiting beyond this are refused (SERVICE_UNAVAILABLE)" })
  maxQueueSize!: number;

  @Field(() => Int, { description: "Sessions running this version in parallel on each tier" })
  instanceCount!: number;

  @Field(() => [ExecutionProvider], {
    description: "Empty: the tier's own order (INFERENCE_EXECUTION_PROVIDERS, default cpu)",
  })
  executionProviders!: ExecutionProvider[];

  @Field(() => Int, {
    nullable: true,
    description: "How many tiers load this version; null: every tier (see Deployment.placement)",
  })
  replicas?: number | null;

  @Field(() => Preprocessing)
  preprocessing!: Preprocessing;

  @Field(() => String, {
    nullable: true,
    description: "Output holding pooled features (embedding backbones)",
  })
  embeddingOutput!: string | null;

  @Field(() => HostedOn)
  hostedOn!: HostedOn;

  /** Resolved by DeploymentConfigResolver: configs stored before the log existed lack it. */
  predictionLog?: PredictionLogConfig;
}

@InputType({ description: "Anything left out is derived from the model (its inputs, type and labels)" })
export class DeploymentConfigInput {
  @Field(() => InferenceTask, { nullable: true })
  task?: InferenceTask | null;

  @Field(() => Int, { nullable: true, description: `0 to ${bounds.maxBatchSize}` })
  maxBatchSize?: number | null;

  @Field(() => [Int], {
    nullable: true,
    description: `At most ${bounds.preferredBatchSizes}, each 1 to maxBatchSize`,
  })
  preferredBatchSizes?: number[] | null;

  @Field(() => Int, { nullable: true, description: `0 to ${bounds.maxQueueDelayMicroseconds}` })
  maxQueueDelayMicroseconds?: number | null;

  @Field(() => Int, { nullable: true, description: `1 to ${bounds.maxQueueSize}` })
  maxQueueSize?: number | null;

  @Field(() => Int, { nullable: true, description: `1 to ${bounds.instanceCount}` })
  instanceCount?: number | null;

  @Field(() => [ExecutionProvider], {
    nullable: true,
    description: "Each provider at most once, in order of preference; left out: the tier's own order",
  })
  executionProviders?: ExecutionProvider[] | null;

  @Field(() => Int, {
    nullable: true,
    description: `1 to ${bounds.replicas}: load the version on this many tiers, chosen by rendezvous hashing of its model over the tier addresses (the same on every gateway); null: every tier. More than there are tiers: on all of them, and Deployment.placement says so`,
  })
  replicas?: number | null;

  @Field(() => PreprocessingInput, { nullable: true })
  preprocessing?: PreprocessingInput | null;

  @Field(() => String, { nullable: true, description: `At most ${bounds.tensorNameLength} characters` })
  embeddingOutput?: string | null;

  @Field(() => HostedOn, { nullable: true })
  hostedOn?: HostedOn | null;

  @Field(() => String, {
    nullable: true,
    description: "Follow this alias of the model (e.g. `production`): moving the alias moves the deployment",
  })
  alias?: string | null;

  @Field(() => PredictionLogInput, {
    nullable: true,
    description: "Left out: the log is on, kept 30 days, with images",
  })
  predictionLog?: PredictionLogInput | null;
}

@ObjectType({ description: "A model version served by the inference tiers" })
export class Deployment {
  @Field(() => ID)
  id!: string;

  @Field(() => DeploymentState)
  state!: DeploymentState;

  @Field(() => String, { nullable: true, description: "Why the tier could not load it" })
  reason!: string | null;

  @Field(() => DeploymentConfig)
  config!: DeploymentConfig;

  @Field(() => String, { nullable: true, description: "The alias this deployment follows" })
  alias!: string | null;

  @Field(() => String, { description: "Model name for KServe / Triton clients calling a tier directly" })
  tierModelName!: string;

  @Field(() => String, { description: "Model version for KServe clients (the version's number)" })
  tierModelVersion!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  modelVersionId!: string;
}

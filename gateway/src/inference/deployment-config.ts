import type { DeploymentLimits } from "../config";
import { badInput } from "../errors";
import { checkCount, checkLength, checkRange, limits } from "../limits";
import type { TensorSpec } from "../models/models.types";
import { resolvePredictionLog } from "../feedback/predictions/prediction-log-config";
import {
  ColorOrder,
  ExecutionProvider,
  HostedOn,
  InferenceTask,
  ResizeMode,
  TensorLayout,
  type DeploymentConfig,
  type DeploymentConfigInput,
} from "./deployments.types";

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];
const DEFAULT_MAX_BATCH = 8;

const TASK_BY_MODEL_TYPE: Record<string, InferenceTask> = {
  CLASSIFICATION: InferenceTask.CLASSIFICATION,
  COMPUTER_VISION: InferenceTask.CLASSIFICATION,
  EMBEDDING: InferenceTask.EMBEDDING,
  DEPTH_ESTIMATION: InferenceTask.DEPTH,
  SEGMENTATION: InferenceTask.SEGMENTATION,
  DETECTION: InferenceTask.DETECTION,
};

/** YOLO detectors take pixel / 255, letterboxed: no ImageNet statistics, no crop. */
const DETECTION_MEAN = [0, 0, 0];
const DETECTION_STD = [1, 1, 1];

interface VersionFacts {
  modelType: string;
  inputs: TensorSpec[] | null;
}

const bounds = limits.deployment;

/**
 * Fills every field a user left out from what the version says about itself, and refuses any
 * value outside its limit (limits.ts, and the operator's maxPreprocessingSize) before anything
 * is stored or sent to a tier.
 */
export function resolveDeploymentConfig(
  input: DeploymentConfigInput | null | undefined,
  version: VersionFacts,
  deploymentLimits: DeploymentLimits,
): DeploymentConfig {
  const given = input ?? {};
  const firstInput = version.inputs?.[0];
  const dynamicBatch = firstInput?.shape[0] === -1;
  const maxBatchSize = checkRange(
    "maxBatchSize",
    given.maxBatchSize ?? (dynamicBatch ? DEFAULT_MAX_BATCH : 0),
    0,
    bounds.maxBatchSize,
  );
  if (maxBatchSize > 0 && firstInput && !dynamicBatch) {
    throw badInput(
      `maxBatchSize ${maxBatchSize} needs a dynamic first dimension, but input "${firstInput.name}" has shape [${firstInput.dimensions.join(", ")}]; use 0`,
      {
        field: "maxBatchSize",
      },
    );
  }
  const preferred = checkCount(
    "preferredBatchSizes",
    given.preferredBatchSizes ?? [],
    bounds.preferredBatchSizes,
  );
  preferred.forEach((size, index) => checkRange(`preferredBatchSizes[${index}]`, size, 1, maxBatchSize));
  const providers = given.executionProviders ?? [];
  if (new Set(providers).size !== providers.length) {
    throw badInput("executionProviders names a provider twice; list each once, in the order to try them", {
      field: "executionProviders",
    });
  }
  const [, channelsOrHeight, second, third] = firstInput?.shape ?? [];
  const nhwc = third === 3 || third === 1;
  const layout = given.preprocessing?.layout ?? (nhwc ? TensorLayout.NHWC : TensorLayout.NCHW);
  const imageHeight = layout === TensorLayout.NCHW ? second : channelsOrHeight;
  const imageWidth = layout === TensorLayout.NCHW ? third : second;
  const size = (side: "width" | "height", fromModel: number | undefined) =>
    imageSide(side, given.preprocessing?.[side], fromModel, deploymentLimits.maxPreprocessingSize);
  const task = given.task ?? TASK_BY_MODEL_TYPE[version.modelType] ?? InferenceTask.RAW;
  const detection = task === InferenceTask.DETECTION;
  return {
    task,
    maxBatchSize,
    preferredBatchSizes: preferred,
    maxQueueDelayMicroseconds: checkRange(
      "maxQueueDelayMicroseconds",
      given.maxQueueDelayMicroseconds ?? 2_000,
      0,
      bounds.maxQueueDelayMicroseconds,
    ),
    maxQueueSize: checkRange("maxQueueSize", given.maxQueueSize ?? 1_000, 1, bounds.maxQueueSize),
    instanceCount: checkRange("instanceCount", given.instanceCount ?? 1, 1, bounds.instanceCount),
    // Empty: the tier decides (INFERENCE_EXECUTION_PROVIDERS), so a GPU tier runs defaults on its GPU.
    executionProviders: providers,
    replicas: given.replicas == null ? null : checkRange("replicas", given.replicas, 1, bounds.replicas),
    preprocessing: {
      width: size("width", imageWidth),
      height: size("height", imageHeight),
      layout,
      colorOrder: given.preprocessing?.colorOrder ?? ColorOrder.RGB,
      mean: triple(given.preprocessing?.mean, detection ? DETECTION_MEAN : IMAGENET_MEAN, "mean"),
      std: triple(given.preprocessing?.std, detection ? DETECTION_STD : IMAGENET_STD, "std"),
      resize: given.preprocessing?.resize ?? (detection ? ResizeMode.LETTERBOX : ResizeMode.STRETCH),
    },
    embeddingOutput:
      given.embeddingOutput == null
        ? null
        : checkLength("embeddingOutput", given.embeddingOutput, bounds.tensorNameLength),
    hostedOn: given.hostedOn ?? HostedOn.TIER,
    predictionLog: resolvePredictionLog(given.predictionLog),
  };
}

/**
 * The width or height images are resized to: as given, else the model's own fixed size (null when
 * the model takes any size). A model's own size is bounded too: the tier would allocate it per request.
 */
function imageSide(
  side: "width" | "height",
  given: number | null | undefined,
  fromModel: number | undefined,
  max: number,
): number | null {
  const field = `preprocessing.${side}`;
  if (given !== null && given !== undefined) {
    return checkRange(field, given, 1, max, "TESSERA_MAX_PREPROCESSING_SIZE");
  }
  if (!fromModel || fromModel <= 0) return null;
  if (fromModel <= max) return fromModel;
  throw badInput(
    `${field} must be between 1 and ${max} (the server's limit, TESSERA_MAX_PREPROCESSING_SIZE), but the model's input is ${fromModel} ${side === "width" ? "wide" : "high"}`,
    { field },
  );
}

function triple(value: number[] | null | undefined, fallback: number[], field: string): number[] {
  if (!value) return fallback;
  if (
    value.length !== 3 ||
    value.some((v) => !Number.isFinite(v)) ||
    (field === "std" && value.some((v) => v <= 0))
  ) {
    throw badInput(`preprocessing.${field} needs 3 finite numbers${field === "std" ? " above 0" : ""}`, {
      field: `preprocessing.${field}`,
    });
  }
  return value;
}

/**
 * The model configuration in Triton's JSON form, as RepositoryModelLoad carries it in
 * `parameters["config"]`. Tessera's own settings ride in `parameters` as strings, which Triton
 * ignores; inputs and outputs are left out so the tier reads them from the ONNX file.
 */
export function tritonModelConfig(
  name: string,
  versions: number[],
  config: DeploymentConfig,
  labels: string[],
) {
  const providers = config.executionProviders;
  const kind =
    providers.length === 0
      ? "KIND_AUTO"
      : providers.some((p) => p !== ExecutionProvider.CPU)
        ? "KIND_GPU"
        : "KIND_CPU";
  const parameter = (value: string) => ({ string_value: value });
  return {
    name,
    platform: "onnxruntime_onnx",
    backend: "onnxruntime",
    max_batch_size: config.maxBatchSize,
    ...(config.maxBatchSize > 0 && {
      dynamic_batching: {
        preferred_batch_size: config.preferredBatchSizes,
        max_queue_delay_microseconds: config.maxQueueDelayMicroseconds,
        default_queue_policy: { max_queue_size: config.maxQueueSize },
      },
    }),
    instance_group: [{ count: config.instanceCount, kind }],
    parameters: {
      "tessera.task": parameter(config.task.toLowerCase()),
      "tessera.labels": parameter(JSON.stringify(labels)),
      "tessera.preprocessing": parameter(
        JSON.stringify({
          ...config.preprocessing,
          resize: config.preprocessing.resize.toLowerCase(),
        }),
      ),
      ...(providers.length > 0 && {
        "tessera.execution_providers": parameter(providers.map((p) => p.toLowerCase()).join(",")),
      }),
      ...(config.embeddingOutput && { "tessera.embedding_output": parameter(config.embeddingOutput) }),
      ...(config.hostedOn === HostedOn.TRITON && { "tessera.hosted_on": parameter("triton") }),
    },
  };
}

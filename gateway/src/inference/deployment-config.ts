import { badInput } from "../errors";
import type { TensorSpec } from "../models/models.types";
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
};

interface VersionFacts {
  modelType: string;
  inputs: TensorSpec[] | null;
}

/** Fills every field a user left out from what the version says about itself. */
export function resolveDeploymentConfig(
  input: DeploymentConfigInput | null | undefined,
  version: VersionFacts,
): DeploymentConfig {
  const given = input ?? {};
  const firstInput = version.inputs?.[0];
  const dynamicBatch = firstInput?.shape[0] === -1;
  const maxBatchSize = given.maxBatchSize ?? (dynamicBatch ? DEFAULT_MAX_BATCH : 0);
  if (maxBatchSize < 0 || maxBatchSize > 1024)
    throw badInput("maxBatchSize must be between 0 and 1024", { field: "maxBatchSize" });
  if (maxBatchSize > 0 && firstInput && !dynamicBatch) {
    throw badInput(
      `maxBatchSize ${maxBatchSize} needs a dynamic first dimension, but input "${firstInput.name}" has shape [${firstInput.dimensions.join(", ")}]; use 0`,
      {
        field: "maxBatchSize",
      },
    );
  }
  const preferred = given.preferredBatchSizes ?? [];
  if (preferred.some((size) => size < 1 || size > maxBatchSize)) {
    throw badInput(`preferredBatchSizes must lie between 1 and maxBatchSize (${maxBatchSize})`, {
      field: "preferredBatchSizes",
    });
  }
  const [, channelsOrHeight, second, third] = firstInput?.shape ?? [];
  const nhwc = third === 3 || third === 1;
  const layout = given.preprocessing?.layout ?? (nhwc ? TensorLayout.NHWC : TensorLayout.NCHW);
  const imageHeight = layout === TensorLayout.NCHW ? second : channelsOrHeight;
  const imageWidth = layout === TensorLayout.NCHW ? third : second;
  return {
    task: given.task ?? TASK_BY_MODEL_TYPE[version.modelType] ?? InferenceTask.RAW,
    maxBatchSize,
    preferredBatchSizes: preferred,
    maxQueueDelayMicroseconds: bounded(
      given.maxQueueDelayMicroseconds,
      2_000,
      0,
      10_000_000,
      "maxQueueDelayMicroseconds",
    ),
    maxQueueSize: bounded(given.maxQueueSize, 1_000, 1, 1_000_000, "maxQueueSize"),
    instanceCount: bounded(given.instanceCount, 1, 1, 64, "instanceCount"),
    executionProviders: given.executionProviders?.length ? given.executionProviders : [ExecutionProvider.CPU],
    preprocessing: {
      width: given.preprocessing?.width ?? (imageWidth && imageWidth > 0 ? imageWidth : null),
      height: given.preprocessing?.height ?? (imageHeight && imageHeight > 0 ? imageHeight : null),
      layout,
      colorOrder: given.preprocessing?.colorOrder ?? ColorOrder.RGB,
      mean: triple(given.preprocessing?.mean, IMAGENET_MEAN, "mean"),
      std: triple(given.preprocessing?.std, IMAGENET_STD, "std"),
      resize: given.preprocessing?.resize ?? ResizeMode.STRETCH,
    },
    embeddingOutput: given.embeddingOutput ?? null,
    hostedOn: given.hostedOn ?? HostedOn.TIER,
  };
}

function bounded(
  value: number | null | undefined,
  fallback: number,
  min: number,
  max: number,
  field: string,
): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < min || resolved > max) {
    throw badInput(`${field} must be an integer between ${min} and ${max}, got ${resolved}`, { field });
  }
  return resolved;
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
  const kind = config.executionProviders.some((p) => p !== ExecutionProvider.CPU) ? "KIND_GPU" : "KIND_CPU";
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
      "tessera.execution_providers": parameter(
        config.executionProviders.map((p) => p.toLowerCase()).join(","),
      ),
      ...(config.embeddingOutput && { "tessera.embedding_output": parameter(config.embeddingOutput) }),
      ...(config.hostedOn === HostedOn.TRITON && { "tessera.hosted_on": parameter("triton") }),
    },
  };
}

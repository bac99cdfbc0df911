import type { DataType } from "@tessera/proto/generated/inference/DataType";
import type { ModelConfig } from "@tessera/proto/generated/inference/ModelConfig";
import type { ModelMetadataResponse } from "@tessera/proto/generated/inference/ModelMetadataResponse";
import type { ModelStatistics } from "@tessera/proto/generated/inference/ModelStatistics";
import type { StatisticDuration } from "@tessera/proto/generated/inference/StatisticDuration";
import type { TensorSpec } from "../runtime/model-runner";
import type { Duration, VersionStatistics } from "../runtime/model-statistics";
import type { ServingModel } from "../runtime/serving-model";
import { configDataType, wireDataType } from "../runtime/tensor-types";

/**
 * ModelMetadata as Triton answers it: `versions` lists the READY versions, and with
 * max_batch_size > 0 each shape starts with -1 for the batch dimension.
 */
export function modelMetadata(model: ServingModel, readyVersions: string[]): ModelMetadataResponse {
  const { description } = model;
  const tensor = (spec: TensorSpec) => ({
    name: spec.name,
    datatype: wireDataType(spec.dataType),
    shape: description.maxBatchSize > 0 ? [-1, ...spec.shape] : spec.shape,
  });
  return {
    name: description.name,
    versions: readyVersions,
    platform: description.platform,
    inputs: description.inputs.map(tensor),
    outputs: description.outputs.map(tensor),
  };
}

/** The configuration in effect: what was sent, completed from the model as Triton's auto-complete would. */
export function modelConfig(model: ServingModel): ModelConfig {
  const { settings, signature } = model;
  const batching = signature.dynamicBatching;
  return {
    name: settings.name,
    platform: settings.platform,
    backend: settings.tessera.hostedOn === "tier" ? "onnxruntime" : "",
    version_policy: { latest: { num_versions: 1 } },
    max_batch_size: signature.maxBatchSize,
    input: signature.inputs.map((input) => ({
      name: input.name,
      data_type: configDataType(input.dataType) as DataType,
      dims: input.dims,
      format: input.format ?? "FORMAT_NONE",
    })),
    output: signature.outputs.map((output) => ({
      name: output.name,
      data_type: configDataType(output.dataType) as DataType,
      dims: output.dims,
    })),
    ...(batching && {
      dynamic_batching: {
        preferred_batch_size: batching.preferredBatchSizes,
        max_queue_delay_microseconds: batching.maxQueueDelayMicroseconds,
        default_queue_policy: { max_queue_size: settings.maxQueueSize },
      },
    }),
    // KIND_AUTO resolves to the CPU unless the configuration asks for a GPU provider.
    instance_group: [
      {
        name: settings.name,
        count: settings.instanceCount,
        kind: settings.instanceKind === "KIND_AUTO" ? "KIND_CPU" : settings.instanceKind,
      },
    ],
    default_model_filename: settings.defaultModelFilename,
    parameters: Object.fromEntries(
      Object.entries(settings.parameters).map(([key, value]) => [key, { string_value: value }]),
    ),
  };
}

const duration = (value: Duration): StatisticDuration => ({ count: value.count, ns: value.ns });

export function modelStatistics(
  name: string,
  version: string,
  statistics: VersionStatistics,
): ModelStatistics {
  return {
    name,
    version,
    last_inference: statistics.lastInference,
    inference_count: statistics.inferenceCount,
    execution_count: statistics.executionCount,
    inference_stats: {
      success: duration(statistics.success),
      fail: duration(statistics.fail),
      queue: duration(statistics.queue),
      compute_input: duration(statistics.computeInput),
      compute_infer: duration(statistics.computeInfer),
      compute_output: duration(statistics.computeOutput),
      cache_hit: { count: 0, ns: 0 },
      cache_miss: { count: 0, ns: 0 },
    },
    batch_stats: statistics.batchStatistics().map((batch) => ({
      batch_size: batch.batchSize,
      compute_input: duration(batch.computeInput),
      compute_infer: duration(batch.computeInfer),
      compute_output: duration(batch.computeOutput),
    })),
  };
}

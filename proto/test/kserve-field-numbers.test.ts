import { fileURLToPath } from "node:url";
import * as protoLoader from "@grpc/proto-loader";
import { describe, expect, it } from "vitest";

// Field numbers are the wire contract: Triton's clients and Triton itself decode our messages only
// if every number equals the one in Triton's grpc_service.proto / model_config.proto.
const definition = protoLoader.loadSync("kserve/grpc_service.proto", {
  keepCase: true,
  includeDirs: [fileURLToPath(new URL("..", import.meta.url))],
});

interface Descriptor {
  name: string;
  field: Array<{ name: string; number: number; type: string }>;
  nestedType: Descriptor[];
  value?: Array<{ name: string; number: number }>;
}

/** "ModelInferRequest.InferInputTensor" → its descriptor. */
function message(path: string): Descriptor {
  const [top, ...nested] = path.split(".");
  let descriptor = (definition[`inference.${top}`] as unknown as { type: Descriptor }).type;
  for (const name of nested) descriptor = descriptor.nestedType.find((type) => type.name === name)!;
  return descriptor;
}

function fieldNumbers(path: string): Record<string, number> {
  return Object.fromEntries(message(path).field.map((field) => [field.name, field.number]));
}

const tritonFieldNumbers: Record<string, Record<string, number>> = {
  ServerLiveResponse: { live: 1 },
  ServerReadyResponse: { ready: 1 },
  ModelReadyRequest: { name: 1, version: 2 },
  ModelReadyResponse: { ready: 1 },
  ServerMetadataResponse: { name: 1, version: 2, extensions: 3 },
  ModelMetadataRequest: { name: 1, version: 2 },
  ModelMetadataResponse: { name: 1, versions: 2, platform: 3, inputs: 4, outputs: 5 },
  "ModelMetadataResponse.TensorMetadata": { name: 1, datatype: 2, shape: 3 },
  InferParameter: { bool_param: 1, int64_param: 2, string_param: 3, double_param: 4, uint64_param: 5 },
  InferTensorContents: {
    bool_contents: 1,
    int_contents: 2,
    int64_contents: 3,
    uint_contents: 4,
    uint64_contents: 5,
    fp32_contents: 6,
    fp64_contents: 7,
    bytes_contents: 8,
  },
  ModelInferRequest: {
    model_name: 1,
    model_version: 2,
    id: 3,
    parameters: 4,
    inputs: 5,
    outputs: 6,
    raw_input_contents: 7,
  },
  "ModelInferRequest.InferInputTensor": { name: 1, datatype: 2, shape: 3, parameters: 4, contents: 5 },
  "ModelInferRequest.InferRequestedOutputTensor": { name: 1, parameters: 2 },
  ModelInferResponse: {
    model_name: 1,
    model_version: 2,
    id: 3,
    parameters: 4,
    outputs: 5,
    raw_output_contents: 6,
  },
  "ModelInferResponse.InferOutputTensor": { name: 1, datatype: 2, shape: 3, parameters: 4, contents: 5 },
  ModelConfigRequest: { name: 1, version: 2 },
  ModelConfigResponse: { config: 1 },
  ModelStatisticsRequest: { name: 1, version: 2 },
  StatisticDuration: { count: 1, ns: 2 },
  InferStatistics: {
    success: 1,
    fail: 2,
    queue: 3,
    compute_input: 4,
    compute_infer: 5,
    compute_output: 6,
    cache_hit: 7,
    cache_miss: 8,
  },
  InferResponseStatistics: { compute_infer: 1, compute_output: 2, success: 3, fail: 4, empty_response: 5 },
  InferBatchStatistics: { batch_size: 1, compute_input: 2, compute_infer: 3, compute_output: 4 },
  MemoryUsage: { type: 1, id: 2, byte_size: 3 },
  ModelStatistics: {
    name: 1,
    version: 2,
    last_inference: 3,
    inference_count: 4,
    execution_count: 5,
    inference_stats: 6,
    batch_stats: 7,
    memory_usage: 8,
    response_stats: 9,
  },
  ModelStatisticsResponse: { model_stats: 1 },
  ModelRepositoryParameter: { bool_param: 1, int64_param: 2, string_param: 3, bytes_param: 4 },
  RepositoryIndexRequest: { repository_name: 1, ready: 2 },
  RepositoryIndexResponse: { models: 1 },
  "RepositoryIndexResponse.ModelIndex": { name: 1, version: 2, state: 3, reason: 4 },
  RepositoryModelLoadRequest: { repository_name: 1, model_name: 2, parameters: 3 },
  RepositoryModelUnloadRequest: { repository_name: 1, model_name: 2, parameters: 3 },
  SystemSharedMemoryStatusRequest: { name: 1 },
  SystemSharedMemoryStatusResponse: { regions: 1 },
  "SystemSharedMemoryStatusResponse.RegionStatus": { name: 1, key: 2, offset: 3, byte_size: 4 },
  SystemSharedMemoryRegisterRequest: { name: 1, key: 2, offset: 3, byte_size: 4 },
  SystemSharedMemoryRegisterResponse: {},
  SystemSharedMemoryUnregisterRequest: { name: 1 },
  SystemSharedMemoryUnregisterResponse: {},
  ModelConfig: {
    name: 1,
    platform: 2,
    version_policy: 3,
    max_batch_size: 4,
    input: 5,
    output: 6,
    instance_group: 7,
    default_model_filename: 8,
    dynamic_batching: 11,
    optimization: 12,
    parameters: 14,
    backend: 17,
  },
  ModelInput: {
    name: 1,
    data_type: 2,
    format: 3,
    dims: 4,
    reshape: 5,
    is_shape_tensor: 6,
    allow_ragged_batch: 7,
    optional: 8,
  },
  ModelOutput: { name: 1, data_type: 2, dims: 3, label_filename: 4, reshape: 5, is_shape_tensor: 6 },
  ModelTensorReshape: { shape: 1 },
  ModelVersionPolicy: { latest: 1, all: 2, specific: 3 },
  "ModelVersionPolicy.Latest": { num_versions: 1 },
  "ModelVersionPolicy.Specific": { versions: 1 },
  ModelInstanceGroup: { name: 1, count: 2, gpus: 3, kind: 4, profile: 5, passive: 7, host_policy: 9 },
  ModelDynamicBatching: {
    preferred_batch_size: 1,
    max_queue_delay_microseconds: 2,
    preserve_ordering: 3,
    priority_levels: 4,
    default_priority_level: 5,
    default_queue_policy: 6,
    priority_queue_policy: 7,
  },
  ModelQueuePolicy: {
    timeout_action: 1,
    default_timeout_microseconds: 2,
    allow_timeout_override: 3,
    max_queue_size: 4,
  },
  ModelOptimizationPolicy: {
    graph: 1,
    priority: 2,
    execution_accelerators: 4,
    input_pinned_memory: 5,
    output_pinned_memory: 6,
  },
  "ModelOptimizationPolicy.ExecutionAccelerators": {
    gpu_execution_accelerator: 1,
    cpu_execution_accelerator: 2,
  },
  "ModelOptimizationPolicy.ExecutionAccelerators.Accelerator": { name: 1, parameters: 2 },
  ModelParameter: { string_value: 1 },
};

describe("proto/kserve matches Triton's wire format", () => {
  it.each(Object.entries(tritonFieldNumbers))("%s has Triton's field names and numbers", (path, expected) => {
    expect(fieldNumbers(path)).toEqual(expected);
  });

  // Offsets and sizes are uint64 in Triton's messages; an int64 would decode the same bytes, but
  // a generated client would type them differently.
  it.each([
    ["SystemSharedMemoryRegisterRequest", ["TYPE_STRING", "TYPE_STRING", "TYPE_UINT64", "TYPE_UINT64"]],
    [
      "SystemSharedMemoryStatusResponse.RegionStatus",
      ["TYPE_STRING", "TYPE_STRING", "TYPE_UINT64", "TYPE_UINT64"],
    ],
  ])("%s has Triton's field types", (path, types) => {
    expect(message(path).field.map((field) => field.type)).toEqual(types);
  });

  it("numbers DataType like Triton", () => {
    const values = (definition["inference.DataType"] as unknown as { type: Descriptor }).type.value!;
    expect(Object.fromEntries(values.map((value) => [value.name, value.number]))).toEqual({
      TYPE_INVALID: 0,
      TYPE_BOOL: 1,
      TYPE_UINT8: 2,
      TYPE_UINT16: 3,
      TYPE_UINT32: 4,
      TYPE_UINT64: 5,
      TYPE_INT8: 6,
      TYPE_INT16: 7,
      TYPE_INT32: 8,
      TYPE_INT64: 9,
      TYPE_FP16: 10,
      TYPE_FP32: 11,
      TYPE_FP64: 12,
      TYPE_STRING: 13,
      TYPE_BF16: 14,
    });
  });

  it("serves the RPCs of the contract under Triton's paths", () => {
    const service = definition["inference.GRPCInferenceService"] as protoLoader.ServiceDefinition;
    expect(Object.values(service).map((method) => method.path)).toEqual(
      [
        "ServerLive",
        "ServerReady",
        "ModelReady",
        "ServerMetadata",
        "ModelMetadata",
        "ModelInfer",
        "ModelConfig",
        "ModelStatistics",
        "RepositoryIndex",
        "RepositoryModelLoad",
        "RepositoryModelUnload",
        "SystemSharedMemoryStatus",
        "SystemSharedMemoryRegister",
        "SystemSharedMemoryUnregister",
      ].map((rpc) => `/inference.GRPCInferenceService/${rpc}`),
    );
  });
});

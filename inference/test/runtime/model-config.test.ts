import { describe, expect, it } from "vitest";
import { TierError } from "../../src/runtime/errors";
import { readModelConfig } from "../../src/runtime/model-config";
import { completeSignature, ModelLoadError, type SessionMetadata } from "../../src/runtime/model-signature";

const defaults = { defaultMaxQueueSize: 1000, maxPreprocessingSize: 4096 };
const read = (config: object, name = "model") => readModelConfig(name, JSON.stringify(config), defaults);
const message = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
};

describe("readModelConfig (Triton's JSON form)", () => {
  it("leaves to the model what the configuration leaves out", () => {
    expect(read({})).toEqual({
      name: "model",
      platform: "onnxruntime_onnx",
      maxBatchSize: null,
      inputs: null,
      outputs: null,
      dynamicBatching: null,
      maxQueueSize: 1000,
      instanceCount: 1,
      instanceKind: "KIND_AUTO",
      defaultModelFilename: "model.onnx",
      parameters: {},
      tessera: {
        task: "raw",
        labels: [],
        preprocessing: null,
        executionProviders: null,
        embeddingOutput: null,
        hostedOn: "tier",
      },
    });
  });

  it("reads 64-bit integers written as strings, as protobuf's JSON form does", () => {
    const settings = read({
      max_batch_size: "8",
      input: [{ name: "x", data_type: "TYPE_FP32", dims: ["-1", "3"], format: "FORMAT_NCHW" }],
      dynamic_batching: {
        preferred_batch_size: [8, 4, 4],
        max_queue_delay_microseconds: "500",
        default_queue_policy: { max_queue_size: 16 },
      },
      instance_group: [
        { count: 2, kind: "KIND_CPU" },
        { count: 1, kind: "KIND_CPU" },
      ],
    });
    expect(settings).toMatchObject({
      maxBatchSize: 8,
      inputs: [{ name: "x", dataType: "FLOAT32", dims: [-1, 3], format: "FORMAT_NCHW" }],
      dynamicBatching: { preferredBatchSizes: [4, 8], maxQueueDelayMicroseconds: 500 },
      maxQueueSize: 16,
      instanceCount: 3,
      instanceKind: "KIND_CPU",
    });
  });

  it("reads Tessera's parameters", () => {
    const { tessera } = read({
      parameters: {
        "tessera.task": { string_value: "segmentation" },
        "tessera.labels": { string_value: '["road","sky"]' },
        "tessera.preprocessing": { string_value: '{"width":512,"layout":"NHWC","std":[0.5,0.5,0.5]}' },
        "tessera.execution_providers": { string_value: "tensorrt, CUDA" },
      },
    });
    expect(tessera).toEqual({
      task: "segmentation",
      labels: ["road", "sky"],
      preprocessing: {
        width: 512,
        height: null,
        layout: "NHWC",
        colorOrder: "RGB",
        mean: [0, 0, 0],
        std: [0.5, 0.5, 0.5],
        resize: "stretch",
      },
      executionProviders: ["tensorrt", "cuda", "cpu"],
      embeddingOutput: null,
      hostedOn: "tier",
    });
  });

  it("reads the intra-op threads of each instance", () => {
    const { tessera } = read({ parameters: { "tessera.intra_op_threads": { string_value: "1" } } });
    expect(tessera.intraOpThreads).toBe(1);
    expect(read({}).tessera.intraOpThreads).toBeUndefined();
  });

  it.each([
    [{ max_batch_size: -1 }, "config.max_batch_size must be an integer between 0 and 1024, got -1"],
    [{ name: "other" }, 'config.name is "other" but the model being loaded is "model"'],
    [
      { input: [{ name: "x", data_type: "FP32", dims: [3] }] },
      /^config.input\[0\].data_type must be one of TYPE_FP32, TYPE_FP64, .*, got "FP32"$/,
    ],
    [
      { max_batch_size: 0, dynamic_batching: {} },
      "config.dynamic_batching needs config.max_batch_size > 0, got 0",
    ],
    [
      { max_batch_size: 4, dynamic_batching: { preferred_batch_size: [8] } },
      "config.dynamic_batching.preferred_batch_size has 8, over config.max_batch_size 4",
    ],
    [
      { platform: "tensorrt_plan" },
      /^this tier runs ONNX models .* got platform "tensorrt_plan", backend ""/,
    ],
    [
      { parameters: { "tessera.tsk": { string_value: "raw" } } },
      /^config.parameters has "tessera.tsk", which this tier does not know/,
    ],
    [
      { parameters: { "tessera.execution_providers": { string_value: "cuda,openvino" } } },
      'config.parameters["tessera.execution_providers"] must be one of tensorrt, cuda, cpu, got "openvino"',
    ],
    [
      { parameters: { "tessera.intra_op_threads": { string_value: "0" } } },
      'config.parameters["tessera.intra_op_threads"] must be an integer between 1 and 256, got "0"',
    ],
    [
      { parameters: { "tessera.preprocessing": { string_value: '{"mean":[1,2]}' } } },
      'config.parameters["tessera.preprocessing"].mean must be 3 numbers (one per channel), got [1,2]',
    ],
    [
      { instance_group: [{ kind: "KIND_GPU" }, { kind: "KIND_CPU" }] },
      "config.instance_group mixes kinds KIND_GPU, KIND_CPU; this tier takes one kind",
    ],
  ])("rejects %j", (config, expected) => {
    expect(() => read(config)).toThrow(TierError);
    expect(message(() => read(config))).toMatch(expected);
  });

  it("accepts a model served elsewhere on Triton whatever its platform", () => {
    const settings = read({
      platform: "tensorrt_plan",
      parameters: { "tessera.hosted_on": { string_value: "triton" } },
    });
    expect(settings.platform).toBe("tensorrt_plan");
  });
});

const batchable: SessionMetadata = {
  inputs: [{ name: "image", isTensor: true, type: "float32", shape: ["batch", 3, 8, 8] }],
  outputs: [
    { name: "logits", isTensor: true, type: "float32", shape: ["batch", 3] },
    { name: "label_map", isTensor: false },
  ],
};

describe("completeSignature (auto-complete from the session)", () => {
  it("batches a model whose first dimensions are dynamic and skips outputs it cannot carry", () => {
    expect(completeSignature(read({}), batchable, 8)).toEqual({
      maxBatchSize: 8,
      inputs: [{ name: "image", dataType: "FLOAT32", dims: [3, 8, 8] }],
      outputs: [{ name: "logits", dataType: "FLOAT32", dims: [3] }],
      dynamicBatching: { preferredBatchSizes: [], maxQueueDelayMicroseconds: 0 },
      skippedOutputs: ["label_map"],
    });
  });

  it("does not batch when the configuration sets max_batch_size without dynamic_batching", () => {
    expect(completeSignature(read({ max_batch_size: 2 }), batchable, 8).dynamicBatching).toBeNull();
  });

  it.each([
    [
      { max_batch_size: 4 },
      { ...batchable, inputs: [{ name: "image", isTensor: true, type: "float32", shape: [1, 3, 8, 8] }] },
      'max_batch_size 4 needs a dynamic first dimension on every input and output, but "image" has shape [1, 3, 8, 8]; set max_batch_size to 0',
    ],
    [
      { input: [{ name: "pixels", data_type: "TYPE_FP32", dims: [3, 8, 8] }] },
      batchable,
      'config input "pixels" is not in the model, whose inputs are "image"',
    ],
    [
      { input: [{ name: "image", data_type: "TYPE_UINT8", dims: [3, 8, 8] }] },
      batchable,
      'config input "image" is TYPE_UINT8 but the model\'s is TYPE_FP32',
    ],
    [
      { input: [{ name: "image", data_type: "TYPE_FP32", dims: [3, 16, 16] }] },
      batchable,
      'config input "image" has dims [3, 16, 16] but the model\'s are [3, 8, 8] (after the batch dimension)',
    ],
    [
      {},
      { ...batchable, inputs: [{ name: "text", isTensor: true, type: "string", shape: [1] }] },
      'input "text" is a string tensor, which the tier cannot carry',
    ],
  ])("fails the load for %j", (config, metadata, reason) => {
    const complete = () => completeSignature(read(config), metadata as SessionMetadata, 8);
    expect(complete).toThrow(ModelLoadError);
    expect(message(complete)).toBe(reason);
  });
});

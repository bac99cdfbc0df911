import * as grpc from "@grpc/grpc-js";
import {
  buildFixedBatchClassifier,
  buildLinearClassifier,
  linearClassifierSpec,
} from "@tessera/onnx/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callError, connectKServe, type KServeTestClient } from "./helpers/kserve-client";
import { float32s, loadRequest, rawFloat32 } from "./helpers/model-loads";
import { buildClassifierWithLogits, expectedProbabilities } from "./helpers/test-models";
import { startTierProcess, type TierProcess } from "./helpers/tier-process";

// Written from the KServe v2 gRPC protocol and Triton's extensions (model repository, model
// configuration, statistics), against a tier running as its own process.

const rows = [
  [1, 2, 3, 4],
  [0, 0, 0, 0],
  [-1, 0.5, 2, -3],
];

const classifierConfig = {
  max_batch_size: 8,
  input: [{ name: "input", data_type: "TYPE_FP32", dims: [4] }],
  output: [{ name: "probabilities", data_type: "TYPE_FP32", dims: [3] }],
  dynamic_batching: { max_queue_delay_microseconds: 100 },
  parameters: {
    "tessera.task": { string_value: "classification" },
    "tessera.labels": { string_value: JSON.stringify(linearClassifierSpec.labels) },
  },
};

const fp32Input = (shape: number[], name = "input") => ({ name, datatype: "FP32", shape });

describe("KServe v2 conformance", () => {
  let tier: TierProcess;
  let client: KServeTestClient;

  beforeAll(async () => {
    tier = await startTierProcess(0, { LOG_LEVEL: "warn" });
    client = connectKServe(tier.port);
    await client.call(
      "RepositoryModelLoad",
      loadRequest("linear", classifierConfig, { 1: buildLinearClassifier().toBytes() }),
    );
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
  });

  function infer(request: object) {
    return client.call("ModelInfer", { model_name: "linear", ...request });
  }

  async function invalid(request: object): Promise<string> {
    const error = await callError(infer(request));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    return error.details;
  }

  it("lists the extensions it now serves completely", async () => {
    const metadata = await client.call("ServerMetadata");
    expect(metadata.extensions).toEqual(["model_repository", "model_configuration", "statistics"]);
  });

  it("reports the model ready, and unknown models or versions not ready", async () => {
    expect(await client.call("ModelReady", { name: "linear", version: "" })).toEqual({ ready: true });
    expect(await client.call("ModelReady", { name: "linear", version: "1" })).toEqual({ ready: true });
    expect(await client.call("ModelReady", { name: "linear", version: "2" })).toEqual({ ready: false });
    expect(await client.call("ModelReady", { name: "absent", version: "" })).toEqual({ ready: false });
  });

  it("answers ModelMetadata with the batch dimension as -1 first", async () => {
    expect(await client.call("ModelMetadata", { name: "linear", version: "" })).toEqual({
      name: "linear",
      versions: ["1"],
      platform: "onnxruntime_onnx",
      inputs: [{ name: "input", datatype: "FP32", shape: [-1, 4] }],
      outputs: [{ name: "probabilities", datatype: "FP32", shape: [-1, 3] }],
    });
  });

  it("answers ModelConfig with the configuration in effect", async () => {
    const { config } = await client.call("ModelConfig", { name: "linear", version: "1" });
    expect(config).toMatchObject({
      name: "linear",
      platform: "onnxruntime_onnx",
      backend: "onnxruntime",
      max_batch_size: 8,
      input: [{ name: "input", data_type: "TYPE_FP32", dims: [4] }],
      output: [{ name: "probabilities", data_type: "TYPE_FP32", dims: [3] }],
      dynamic_batching: {
        preferred_batch_size: [],
        max_queue_delay_microseconds: 100,
        default_queue_policy: { max_queue_size: 1000 },
      },
      instance_group: [{ count: 1, kind: "KIND_CPU" }],
      parameters: { "tessera.task": { string_value: "classification" } },
    });
  });

  it("infers from raw_input_contents: softmax(x·Wᵀ + b), batch dimension first", async () => {
    const answer = await infer({
      id: "request-7",
      inputs: [fp32Input([3, 4])],
      raw_input_contents: [rawFloat32(rows.flat())],
    });
    expect(answer).toMatchObject({ model_name: "linear", model_version: "1", id: "request-7" });
    expect(answer.outputs).toEqual([
      { name: "probabilities", datatype: "FP32", shape: [3, 3], parameters: {}, contents: null },
    ]);
    const probabilities = float32s(answer.raw_output_contents[0]);
    rows
      .flatMap((row) => expectedProbabilities(row))
      .forEach((expected, index) => {
        expect(probabilities[index]).toBeCloseTo(expected, 6);
      });
  });

  it("infers from typed contents and still answers in raw_output_contents", async () => {
    const answer = await infer({
      model_version: "1",
      inputs: [{ ...fp32Input([1, 4]), contents: { fp32_contents: rows[0] } }],
    });
    expect(answer.outputs[0].contents).toBeNull();
    const probabilities = float32s(answer.raw_output_contents[0]);
    expectedProbabilities(rows[0]!).forEach((expected, index) =>
      expect(probabilities[index]).toBeCloseTo(expected, 6),
    );
  });

  it("returns only the outputs requested, in the order requested", async () => {
    await client.call(
      "RepositoryModelLoad",
      loadRequest("with-logits", { max_batch_size: 4 }, { 3: buildClassifierWithLogits() }),
    );
    const request = {
      model_name: "with-logits",
      inputs: [fp32Input([1, 4])],
      raw_input_contents: [rawFloat32(rows[0]!)],
    };
    const all = await client.call("ModelInfer", request);
    expect(all.outputs.map((output: { name: string }) => output.name)).toEqual(["probabilities", "logits"]);
    const logitsOnly = await client.call("ModelInfer", { ...request, outputs: [{ name: "logits" }] });
    expect(logitsOnly.outputs.map((output: { name: string }) => output.name)).toEqual(["logits"]);
    expect(logitsOnly.raw_output_contents).toHaveLength(1);
    const logits = float32s(logitsOnly.raw_output_contents[0]);
    [3.1, 2.3, 3.3].forEach((expected, index) => expect(logits[index]).toBeCloseTo(expected, 5));
    const error = await callError(client.call("ModelInfer", { ...request, outputs: [{ name: "scores" }] }));
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe('unknown output "scores"; model "with-logits" has "probabilities", "logits"');
  });

  it("serves a model without a batch dimension with its shapes as they are", async () => {
    await client.call(
      "RepositoryModelLoad",
      loadRequest("fixed", null, { 1: buildFixedBatchClassifier().toBytes() }),
    );
    const metadata = await client.call("ModelMetadata", { name: "fixed" });
    expect(metadata.inputs).toEqual([{ name: "input", datatype: "FP32", shape: [1, 4] }]);
    const { config } = await client.call("ModelConfig", { name: "fixed" });
    expect(config.max_batch_size).toBe(0);
    expect(config.dynamic_batching).toBeUndefined();
    const answer = await client.call("ModelInfer", {
      model_name: "fixed",
      inputs: [fp32Input([1, 4])],
      raw_input_contents: [rawFloat32(rows[0]!)],
    });
    expect(float32s(answer.raw_output_contents[0])[2]).toBeCloseTo(expectedProbabilities(rows[0]!)[2]!, 6);
  });

  it("falls back to the CPU, with a warning, when a GPU provider is asked for and missing", async () => {
    const gpuConfig = {
      instance_group: [{ kind: "KIND_GPU" }],
      parameters: { "tessera.execution_providers": { string_value: "cuda,cpu" } },
    };
    await client.call(
      "RepositoryModelLoad",
      loadRequest("gpu-preferred", gpuConfig, { 1: buildLinearClassifier().toBytes() }),
    );
    expect(await client.call("ModelReady", { name: "gpu-preferred" })).toEqual({ ready: true });
    const warnings = tier
      .stdout()
      .split("\n")
      .filter((line) => line.includes('"model":"gpu-preferred"'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    // A host with CUDA's libraries loads on the GPU and has nothing to warn about.
    const cudaPresent = warnings.length === 0;
    if (!cudaPresent) {
      expect(warnings).toEqual([
        expect.objectContaining({
          level: 40,
          msg: expect.stringMatching(/^execution provider "cuda" is unavailable: .+; using the next one$/),
        }),
      ]);
    }
  });

  describe("answers INVALID_ARGUMENT naming the tensor, what was expected and what came", () => {
    const raw = (values: number[]) => [rawFloat32(values)];

    it("for an unknown input name", async () => {
      expect(
        await invalid({ inputs: [fp32Input([1, 4], "pixels")], raw_input_contents: raw(rows[0]!) }),
      ).toBe('unknown input "pixels"; model "linear" takes "input"');
    });

    it("for a missing input", async () => {
      expect(await invalid({ inputs: [] })).toBe('input "input" is missing; model "linear" takes "input"');
    });

    it("for a wrong datatype", async () => {
      const details = await invalid({
        inputs: [{ name: "input", datatype: "INT64", shape: [1, 4] }],
        raw_input_contents: [Buffer.from(BigInt64Array.from([1n, 2n, 3n, 4n]).buffer)],
      });
      expect(details).toBe('input "input" has datatype INT64; model "linear" expects FP32');
    });

    it("for a datatype KServe does not define", async () => {
      const details = await invalid({
        inputs: [{ name: "input", datatype: "FLOAT", shape: [1, 4] }],
        raw_input_contents: raw(rows[0]!),
      });
      expect(details).toBe('input "input" has datatype "FLOAT", which is not a KServe v2 datatype');
    });

    it("for a wrong rank", async () => {
      expect(await invalid({ inputs: [fp32Input([4])], raw_input_contents: raw(rows[0]!) })).toBe(
        'input "input" has shape [4]; expected [-1, 4] (batch dimension first, at most 8)',
      );
    });

    it("for a wrong fixed dimension", async () => {
      expect(await invalid({ inputs: [fp32Input([1, 5])], raw_input_contents: raw([1, 2, 3, 4, 5]) })).toBe(
        'input "input" has shape [1, 5]; expected [-1, 4] (batch dimension first, at most 8)',
      );
    });

    it("for a batch over max_batch_size", async () => {
      expect(
        await invalid({ inputs: [fp32Input([9, 4])], raw_input_contents: raw(new Array(36).fill(0)) }),
      ).toBe('input "input" has batch size 9; model "linear" takes 1 to 8 (max_batch_size)');
    });

    it("for raw contents whose length does not match shape × datatype size", async () => {
      expect(await invalid({ inputs: [fp32Input([2, 4])], raw_input_contents: raw(rows[0]!) })).toBe(
        'input "input" has 16 bytes of raw contents; shape [2, 4] of FP32 needs 32',
      );
    });

    it("for raw and typed contents in one request", async () => {
      const details = await invalid({
        inputs: [{ ...fp32Input([1, 4]), contents: { fp32_contents: rows[0] } }],
        raw_input_contents: raw(rows[0]!),
      });
      expect(details).toBe(
        'input "input" has contents but the request also has raw_input_contents; use one or the other',
      );
    });

    it("for Triton's classification extension, which the tier leaves to its Classify service", async () => {
      const details = await invalid({
        inputs: [fp32Input([1, 4])],
        raw_input_contents: raw(rows[0]!),
        outputs: [{ name: "probabilities", parameters: { classification: { int64_param: 2 } } }],
      });
      expect(details).toMatch(/^output "probabilities" asks for Triton's classification extension/);
    });

    it("for typed contents of the wrong count or in the wrong field", async () => {
      expect(
        await invalid({ inputs: [{ ...fp32Input([1, 4]), contents: { fp32_contents: [1, 2, 3] } }] }),
      ).toBe('input "input" has 3 values in contents.fp32_contents; shape [1, 4] needs 4');
      expect(
        await invalid({ inputs: [{ ...fp32Input([1, 4]), contents: { int64_contents: [1, 2, 3, 4] } }] }),
      ).toBe(
        'input "input" is FP32, whose values go in contents.fp32_contents, but they are in contents.int64_contents',
      );
    });
  });

  it("answers NOT_FOUND for an unknown model or version", async () => {
    const unknownModel = await callError(client.call("ModelInfer", { model_name: "absent", inputs: [] }));
    expect(unknownModel.code).toBe(grpc.status.NOT_FOUND);
    expect(unknownModel.details).toBe('model "absent" is not loaded in this tier');
    const unknownVersion = await callError(infer({ model_version: "7", inputs: [] }));
    expect(unknownVersion.code).toBe(grpc.status.NOT_FOUND);
    expect(unknownVersion.details).toBe('model "linear" has no version "7"; versions held: 1');
    const metadata = await callError(client.call("ModelMetadata", { name: "absent" }));
    expect(metadata.code).toBe(grpc.status.NOT_FOUND);
  });

  it("counts requests, items and executions in ModelStatistics", async () => {
    const before = (await client.call("ModelStatistics", { name: "linear", version: "1" })).model_stats[0];
    await infer({
      inputs: [fp32Input([2, 4])],
      raw_input_contents: [rawFloat32([...rows[0]!, ...rows[1]!])],
    });
    await invalid({ inputs: [fp32Input([4])], raw_input_contents: [rawFloat32(rows[0]!)] });
    const after = (await client.call("ModelStatistics", { name: "linear", version: "1" })).model_stats[0];
    expect(after).toMatchObject({ name: "linear", version: "1" });
    expect(after.inference_count - before.inference_count).toBe(2);
    expect(after.execution_count - before.execution_count).toBe(1);
    expect(after.inference_stats.success.count - before.inference_stats.success.count).toBe(1);
    expect(after.inference_stats.compute_infer.ns).toBeGreaterThan(before.inference_stats.compute_infer.ns);
    expect(after.last_inference).toBeGreaterThanOrEqual(before.last_inference);
    expect(after.batch_stats.map((batch: { batch_size: number }) => batch.batch_size)).toContain(2);
    const unknown = await callError(client.call("ModelStatistics", { name: "absent" }));
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
  });

  it("rejects a configuration naming a field it does not know, before loading anything", async () => {
    const error = await callError(
      client.call(
        "RepositoryModelLoad",
        loadRequest("typo", { max_batchsize: 4 }, { 1: buildLinearClassifier().toBytes() }),
      ),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toMatch(
      /^config has "max_batchsize", which this tier does not support; supported: name, /,
    );
    const names = (await client.call("RepositoryIndex", {})).models.map(
      (model: { name: string }) => model.name,
    );
    expect(names).not.toContain("typo");
  });

  it("rejects model names that are not plain names", async () => {
    for (const name of ["..", "a/b", ""]) {
      const error = await callError(
        client.call("RepositoryModelLoad", loadRequest(name, {}, { 1: buildLinearClassifier().toBytes() })),
      );
      expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    }
  });

  it("lists versions in RepositoryIndex and forgets them on unload", async () => {
    await client.call(
      "RepositoryModelLoad",
      loadRequest("doomed", {}, { 2: buildLinearClassifier().toBytes() }),
    );
    const index = await client.call("RepositoryIndex", { ready: true });
    expect(index.models).toContainEqual({ name: "doomed", version: "2", state: "READY", reason: "" });
    await client.call("RepositoryModelUnload", { model_name: "doomed" });
    const after = await client.call("RepositoryIndex", {});
    expect(after.models.map((model: { name: string }) => model.name)).not.toContain("doomed");
    expect(await client.call("ModelReady", { name: "doomed" })).toEqual({ ready: false });
    const error = await callError(client.call("ModelInfer", { model_name: "doomed", inputs: [] }));
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    const again = await callError(client.call("RepositoryModelUnload", { model_name: "doomed" }));
    expect(again.code).toBe(grpc.status.NOT_FOUND);
  });
});

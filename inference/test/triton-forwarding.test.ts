import * as grpc from "@grpc/grpc-js";
import { buildLinearClassifier } from "@tessera/onnx/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callError, connectKServe, type KServeTestClient } from "./helpers/kserve-client";
import { float32s, loadRequest, rawFloat32 } from "./helpers/model-loads";
import { expectedProbabilities } from "./helpers/test-models";
import { startTierProcess, type TierProcess } from "./helpers/tier-process";

// The peer standing in for Triton is a second tier process: it speaks the same KServe v2 protocol
// with Triton's repository extension, so the forwarding path is exercised end to end.

const row = [1, 2, 3, 4];
const hostedOnTriton = {
  max_batch_size: 8,
  dynamic_batching: {},
  parameters: {
    "tessera.hosted_on": { string_value: "triton" },
    "tessera.task": { string_value: "classification" },
  },
};

describe("models hosted on Triton", () => {
  let triton: TierProcess;
  let tier: TierProcess;
  let tritonClient: KServeTestClient;
  let client: KServeTestClient;

  beforeAll(async () => {
    triton = await startTierProcess(0);
    tier = await startTierProcess(0, { TRITON_URL: `grpc://127.0.0.1:${triton.port}` });
    tritonClient = connectKServe(triton.port);
    client = connectKServe(tier.port);
  });

  afterAll(async () => {
    client?.close();
    tritonClient?.close();
    await Promise.all([tier?.stop(), triton?.stop()]);
  });

  const infer = (extra: object = {}) =>
    client.call("ModelInfer", {
      model_name: "remote",
      inputs: [{ name: "input", datatype: "FP32", shape: [1, 4] }],
      raw_input_contents: [rawFloat32(row)],
      ...extra,
    });

  it("loads through Triton's repository API, without the hosting marker", async () => {
    await client.call(
      "RepositoryModelLoad",
      loadRequest("remote", hostedOnTriton, { 5: buildLinearClassifier().toBytes() }),
    );
    expect((await tritonClient.call("RepositoryIndex", {})).models).toEqual([
      { name: "remote", version: "5", state: "READY", reason: "" },
    ]);
    expect((await client.call("RepositoryIndex", {})).models).toEqual([
      { name: "remote", version: "5", state: "READY", reason: "" },
    ]);
    const { config } = await tritonClient.call("ModelConfig", { name: "remote" });
    expect(Object.keys(config.parameters)).toEqual(["tessera.task"]);
    expect((await client.call("ModelMetadata", { name: "remote" })).inputs).toEqual([
      { name: "input", datatype: "FP32", shape: [-1, 4] },
    ]);
  });

  it("forwards inference as raw tensors and answers with Triton's result", async () => {
    const answer = await infer({ id: "forwarded" });
    expect(answer).toMatchObject({ model_name: "remote", model_version: "5", id: "forwarded" });
    const probabilities = float32s(answer.raw_output_contents[0]);
    expectedProbabilities(row).forEach((expected, index) =>
      expect(probabilities[index]).toBeCloseTo(expected, 6),
    );
    const remote = (await tritonClient.call("ModelStatistics", { name: "remote" })).model_stats[0];
    expect(remote.inference_count).toBe(1);
  });

  it("checks requests itself before forwarding them", async () => {
    const error = await callError(
      infer({
        inputs: [{ name: "input", datatype: "FP32", shape: [1, 3] }],
        raw_input_contents: [rawFloat32([1, 2, 3])],
      }),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe(
      'input "input" has shape [1, 3]; expected [-1, 4] (batch dimension first, at most 8)',
    );
  });

  it("passes Triton's failure status through", async () => {
    const error = await callError(
      client.call(
        "RepositoryModelLoad",
        loadRequest("broken", hostedOnTriton, { 1: Buffer.from("garbage") }),
      ),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe(
      `Triton at 127.0.0.1:${triton.port} answered RepositoryModelLoad with INVALID_ARGUMENT: ` +
        'model "broken" version 1 failed to load: Protobuf parsing failed.',
    );
  });

  it("unloads from Triton too", async () => {
    await client.call("RepositoryModelUnload", { model_name: "remote" });
    expect((await client.call("RepositoryIndex", {})).models).toEqual([]);
    expect((await tritonClient.call("RepositoryIndex", { ready: true })).models).toEqual([]);
  });

  it("refuses a Triton-hosted model when the tier has no TRITON_URL", async () => {
    const error = await callError(
      tritonClient.call(
        "RepositoryModelLoad",
        loadRequest("remote", hostedOnTriton, { 1: buildLinearClassifier().toBytes() }),
      ),
    );
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toBe(
      'model "remote" is marked "tessera.hosted_on": "triton" but the tier has no TRITON_URL',
    );
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildLinearClassifier, linearClassifierSpec } from "@tessera/onnx/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTierConfig } from "../../src/config";
import { createTierLogger } from "../../src/logger";
import { TierError } from "../../src/runtime/errors";
import type { Preprocessing } from "../../src/runtime/model-runner";
import { startTierServer, type RunningTier } from "../../src/server";
import { buildSlowModel, expectedProbabilities } from "../helpers/test-models";

// The in-process API the task services use: same validation and batching as ModelInfer.

const preprocessing: Preprocessing = {
  width: 224,
  height: 224,
  layout: "NCHW",
  colorOrder: "RGB",
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  resize: "cover",
};

const classifierConfig = JSON.stringify({
  max_batch_size: 4,
  dynamic_batching: {},
  parameters: {
    "tessera.task": { string_value: "classification" },
    "tessera.labels": { string_value: JSON.stringify(linearClassifierSpec.labels) },
    "tessera.preprocessing": { string_value: JSON.stringify(preprocessing) },
    "tessera.embedding_output": { string_value: "probabilities" },
  },
});

describe("ModelRunner", () => {
  let cacheDir: string;
  let tier: RunningTier;

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), "tessera-runner-"));
    const config = {
      ...loadTierConfig({ INFERENCE_PORT: "0", INFERENCE_CACHE_DIR: cacheDir }),
      host: "127.0.0.1",
    };
    tier = await startTierServer(config, createTierLogger("silent"));
    const { models } = tier.dataPlane;
    await models.load("classifier", {
      config: classifierConfig,
      files: new Map([["3", new Map([["model.onnx", buildLinearClassifier().toBytes()]])]]),
    });
    await models.load("slow", {
      config: JSON.stringify({ max_batch_size: 1, dynamic_batching: {} }),
      files: new Map([["1", new Map([["model.onnx", buildSlowModel(512, 24)]])]]),
    });
  });

  afterAll(async () => {
    await tier?.shutdown();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("describes the newest ready version with Tessera's settings", () => {
    expect(tier.runner.describe("classifier")).toEqual({
      name: "classifier",
      version: "3",
      platform: "onnxruntime_onnx",
      maxBatchSize: 4,
      inputs: [{ name: "input", dataType: "FLOAT32", shape: [4] }],
      outputs: [{ name: "probabilities", dataType: "FLOAT32", shape: [3] }],
      task: "classification",
      labels: ["cat", "dog", "bird"],
      preprocessing,
      embeddingOutput: "probabilities",
    });
    expect(tier.runner.describe("classifier", "3").version).toBe("3");
  });

  it("runs typed tensors and answers typed tensors", async () => {
    const rows = [
      [1, 2, 3, 4],
      [0.5, 0, -1, 2],
    ];
    const outputs = await tier.runner.infer("classifier", undefined, {
      input: { dataType: "FLOAT32", shape: [2, 4], data: Float32Array.from(rows.flat()) },
    });
    expect(Object.keys(outputs)).toEqual(["probabilities"]);
    const { dataType, shape, data } = outputs.probabilities!;
    expect({ dataType, shape }).toEqual({ dataType: "FLOAT32", shape: [2, 3] });
    expect(data).toBeInstanceOf(Float32Array);
    rows
      .flatMap((row) => expectedProbabilities(row))
      .forEach((value, index) => expect(data[index]).toBeCloseTo(value, 6));
  });

  it("throws TierErrors with the status a client would get", async () => {
    const wrongArray = tier.runner.infer("classifier", "3", {
      input: { dataType: "FLOAT32", shape: [1, 4], data: Float64Array.from([1, 2, 3, 4]) },
    });
    await expect(wrongArray).rejects.toThrow(
      new TierError("INVALID_ARGUMENT", 'input "input" holds a Float64Array; FP32 needs a Float32Array'),
    );
    expect(() => tier.runner.describe("absent")).toThrow(TierError);
    await expect(tier.runner.infer("classifier", "9", {})).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("drops a queued request whose signal aborts", async () => {
    const input = () => ({
      x: { dataType: "FLOAT32" as const, shape: [1, 1, 1], data: Float32Array.from([1 / 512]) },
    });
    const running = tier.runner.infer("slow", undefined, input());
    const abort = new AbortController();
    const queued = tier.runner.infer("slow", undefined, input(), { signal: abort.signal });
    abort.abort();
    await expect(queued).rejects.toMatchObject({ code: "CANCELLED" });
    await running;
    const [stats] = tier.dataPlane.models.statistics("slow", "1");
    expect(stats!.statistics.inferenceCount).toBe(1);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTierConfig } from "../../../src/config";
import { defaultImageLimits } from "../../../src/images/decode-image";
import { createTierLogger } from "../../../src/logger";
import type { TierError } from "../../../src/runtime/errors";
import { ModelCache } from "../../../src/runtime/model-cache";
import { startTierServer, type RunningTier } from "../../../src/server";
import { classify } from "../../../src/tasks/classify";
import { FeatureEmbedder } from "../../../src/tasks/embedding/feature-embedder";
import type { TaskContext } from "../../../src/tasks/task-context";
import { resolveFeatureBase } from "../../../src/training/base/feature-base";
import { readRepositoryModel } from "../../../src/training/export/repository-model";
import { exportTrainedModel } from "../../../src/training/export/trained-model";
import { pngOf } from "../../tasks/support/test-images";
import { buildTinyCnnBase } from "../base/base-models";
import { randomLayers, referenceProbabilities, standardisationOf } from "./reference-head";

const signal = new AbortController().signal;
const labels = ["left", "right"];

function config(task: string) {
  return JSON.stringify({
    max_batch_size: 4,
    dynamic_batching: {},
    parameters: {
      "tessera.task": { string_value: task },
      "tessera.labels": { string_value: JSON.stringify(labels) },
    },
  });
}

describe("exporting from the tier's repository", () => {
  let cacheDir: string;
  let tier: RunningTier;
  let context: TaskContext;
  const baseBytes = buildTinyCnnBase();

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), "tessera-export-"));
    const tierConfig = {
      ...loadTierConfig({ INFERENCE_PORT: "0", INFERENCE_CACHE_DIR: cacheDir }),
      host: "127.0.0.1",
    };
    tier = await startTierServer(tierConfig, createTierLogger("silent"));
    await tier.dataPlane.models.load("backbone", {
      config: config("embedding"),
      files: new Map([["2", new Map([["model.onnx", baseBytes]])]]),
    });
    context = {
      runner: tier.runner,
      embedder: new FeatureEmbedder({ workers: 1 }),
      imageLimits: defaultImageLimits,
    };
  });

  afterAll(async () => {
    await context?.embedder.close();
    await tier?.shutdown();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("reads a loaded version's ONNX bytes, and NOT_FOUND for a model not loaded", async () => {
    const cache = new ModelCache(cacheDir);
    const bytes = await readRepositoryModel(tier.dataPlane.models, cache, { name: "backbone", version: "2" });
    expect(Buffer.from(bytes).equals(Buffer.from(baseBytes))).toBe(true);
    const missing = await readRepositoryModel(tier.dataPlane.models, cache, {
      name: "other",
      version: "1",
    }).catch((error: TierError) => error);
    expect((missing as TierError).code).toBe("NOT_FOUND");
  });

  it("classifies with an exported model as the head did on the base's features in training", async () => {
    const images = await Promise.all(
      [0, 1, 2, 3].map((seed) =>
        pngOf(8, 8, (x, y) => [(x * 37 + seed * 50) % 256, (y * 29) % 256, seed * 60]),
      ),
    );
    const base = await resolveFeatureBase(
      context,
      { model_name: "backbone", model_version: "", feature_output: "relu" },
      signal,
    );
    if (base.source.kind !== "model") throw new Error("expected a model base");
    expect(base.source.version).toBe("2");
    const features = await base.extract(images, signal);
    const head = { ...standardisationOf(features), layers: randomLayers([4, 6, 2], 9) };
    const onnx = await readRepositoryModel(tier.dataPlane.models, new ModelCache(cacheDir), base.source);
    const exported = exportTrainedModel({ base: { ...base.source, onnx }, head, labels });
    await tier.dataPlane.models.load("trained", {
      config: config("classification"),
      files: new Map([["1", new Map([["model.onnx", exported]])]]),
    });
    expect(tier.runner.describe("trained").inputFeatures).toBeUndefined();

    for (const [index, image] of images.entries()) {
      const answer = await classify(
        context,
        { model_name: "trained", model_version: "", image: Buffer.from(image), top_k: 2 },
        signal,
      );
      const expected = referenceProbabilities(head, features[index]!);
      for (const prediction of answer.predictions!) {
        expect(prediction.label).toBe(labels[prediction.index!]);
        expect(Math.abs(Number(prediction.score) - expected[prediction.index!]!)).toBeLessThan(1e-5);
      }
    }
  });

  it("describes a model exported on the built-in embedder as taking its vectors", async () => {
    const exported = exportTrainedModel({
      base: { kind: "feature-embedder", dimension: 256 },
      head: {
        inputMean: new Float32Array(256),
        inputScale: new Float32Array(256).fill(1),
        layers: randomLayers([256, 2], 1),
      },
      labels,
    });
    await tier.dataPlane.models.load("on-embedder", {
      config: config("classification"),
      files: new Map([["1", new Map([["model.onnx", exported]])]]),
    });
    const description = tier.runner.describe("on-embedder");
    expect(description.inputFeatures).toBe("feature-embedder/v1");
    expect(description.inputs).toEqual([{ name: "features", dataType: "FLOAT32", shape: [256] }]);
    expect(description.outputs).toEqual([{ name: "probabilities", dataType: "FLOAT32", shape: [2] }]);
  });
});

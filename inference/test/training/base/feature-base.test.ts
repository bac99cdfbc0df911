import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultImageLimits } from "../../../src/images/decode-image";
import type { TierError } from "../../../src/runtime/errors";
import { FeatureEmbedder } from "../../../src/tasks/embedding/feature-embedder";
import type { TaskContext } from "../../../src/tasks/task-context";
import { resolveFeatureBase } from "../../../src/training/base/feature-base";
import { InProcessRunner } from "../../tasks/support/in-process-runner";
import { pngOf } from "../../tasks/support/test-images";
import { buildTinyCnnBase, buildUndeclaredBase, buildUnusableBase } from "./base-models";

const signal = new AbortController().signal;
const base = (model_name: string, feature_output = "") => ({ model_name, model_version: "", feature_output });

async function failure(promise: Promise<unknown>): Promise<TierError> {
  try {
    await promise;
  } catch (error) {
    return error as TierError;
  }
  throw new Error("expected the base to be refused");
}

describe("resolveFeatureBase", () => {
  let context: TaskContext;
  let runner: InProcessRunner;

  beforeAll(async () => {
    runner = await InProcessRunner.create([
      { name: "tiny-cnn", onnx: buildTinyCnnBase(), task: "embedding" },
      { name: "unusable", onnx: buildUnusableBase(), task: "embedding" },
      // As the runtime describes a model whose output rank is unknown: no batching.
      { name: "undeclared", onnx: buildUndeclaredBase(), task: "embedding", maxBatchSize: 0 },
    ]);
    context = { runner, embedder: new FeatureEmbedder({ workers: 1 }), imageLimits: defaultImageLimits };
  });

  afterAll(async () => {
    await context?.embedder.close();
    await runner?.close();
  });

  it("gives the built-in embedder's vectors when no model is named", async () => {
    const images = [await pngOf(16, 16, (x) => (x < 8 ? [200, 30, 30] : [20, 40, 220]))];
    const embedder = await resolveFeatureBase(context, base(""), signal);
    expect({ key: embedder.key, dimension: embedder.dimension, source: embedder.source }).toEqual({
      key: expect.stringMatching(/^feature-embedder\/v1@[0-9a-f]{12}$/),
      dimension: 256,
      source: { kind: "feature-embedder", dimension: 256 },
    });
    expect(await embedder.extract(images, signal)).toEqual(
      await context.embedder.embed(images, { dimension: 256 }),
    );
  });

  it("reads the rank-2 output whose name is not class scores when none is named", async () => {
    const resolved = await resolveFeatureBase(context, base("tiny-cnn"), signal);
    expect(resolved.source).toEqual({
      kind: "model",
      name: "tiny-cnn",
      version: "1",
      output: "features",
      map: null,
    });
    expect(resolved.dimension).toBe(4);
    expect(resolved.key).toMatch(/^tiny-cnn\/v1\/features@[0-9a-f]{12}$/);
  });

  it("averages a named feature map over its positions, not normalised", async () => {
    const images = [await pngOf(8, 8, (x, y) => [x * 30, y * 30, 100])];
    const map = await resolveFeatureBase(context, base("tiny-cnn", "relu"), signal);
    const vector = await resolveFeatureBase(context, base("tiny-cnn", "features"), signal);
    expect(map.source).toMatchObject({ output: "relu", map: "NCHW" });
    expect(map.dimension).toBe(4);
    const [pooled] = await map.extract(images, signal);
    const [fromModel] = await vector.extract(images, signal);
    // The model's own GlobalAveragePool computes the same averages.
    pooled!.forEach((value, index) => expect(value).toBeCloseTo(fromModel![index]!, 5));
    expect(Math.hypot(...pooled!)).not.toBeCloseTo(1, 3);
  });

  it("runs one image to learn the width of an output the file does not describe", async () => {
    const resolved = await resolveFeatureBase(context, base("undeclared", "reshaped"), signal);
    expect(resolved.dimension).toBe(4);
    const [features] = await resolved.extract([await pngOf(8, 8, () => [10, 200, 90])], signal);
    expect(features).toHaveLength(4);
  });

  it("refuses an unknown output, naming every output and its shape", async () => {
    const error = await failure(resolveFeatureBase(context, base("tiny-cnn", "penultimate"), signal));
    expect(error.code).toBe("FAILED_PRECONDITION");
    expect(error.message).toBe(
      'model "tiny-cnn" version 1 has no output "penultimate" to read features from; its outputs are ' +
        '"logits" FLOAT32 [-1, 3], "relu" FLOAT32 [-1, 4, 8, 8], "features" FLOAT32 [-1, 4]',
    );
  });

  it.each([
    ["tokens", "it has rank 3 ([-1, 4, 64])"],
    ["class", "it is INT64"],
  ])("refuses output %s, which cannot serve as features", async (output, reason) => {
    const error = await failure(resolveFeatureBase(context, base("unusable", output), signal));
    expect(error.code).toBe("FAILED_PRECONDITION");
    expect(error.message).toContain(
      `model "unusable" version 1 cannot give features from output "${output}": ${reason}.`,
    );
    expect(error.message).toContain(
      '"logits" FLOAT32 [-1, 3], "tokens" FLOAT32 [-1, 4, 64], "class" INT64 [-1]',
    );
  });

  it("refuses a model with several outputs and no rank-2 one that is not class scores", async () => {
    const error = await failure(resolveFeatureBase(context, base("unusable"), signal));
    expect(error.code).toBe("FAILED_PRECONDITION");
    expect(error.message).toContain("name the one to read features from (feature_output)");
  });

  it("answers NOT_FOUND for a model the tier has not loaded", async () => {
    const error = await failure(resolveFeatureBase(context, base("resnet"), signal));
    expect(error.code).toBe("NOT_FOUND");
  });

  it("refuses a feature output or version without a model", async () => {
    const error = await failure(
      resolveFeatureBase(context, { model_name: "", model_version: "", feature_output: "pool" }, signal),
    );
    expect(error.code).toBe("INVALID_ARGUMENT");
  });
});

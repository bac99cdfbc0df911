import { buildLinearClassifier, tinyCnnSpec } from "@tessera/onnx/fixtures";
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultImageLimits } from "../../../src/images/decode-image";
import { imageNetNormalisation } from "../../../src/images/image-tensor";
import { FeatureEmbedder } from "../../../src/tasks/embedding/feature-embedder";
import type { TaskContext } from "../../../src/tasks/task-context";
import { resolveFeatureBase } from "../../../src/training/base/feature-base";
import type { HeadWeights } from "../../../src/training/contracts";
import { exportTrainedModel } from "../../../src/training/export/trained-model";
import { expectedProbabilities } from "../../helpers/test-models";
import { InProcessRunner } from "../../tasks/support/in-process-runner";
import { pngOf, type Rgb } from "../../tasks/support/test-images";
import { buildChannelsLastBase, buildTinyCnnBase } from "../base/base-models";
import { randomLayers, referenceProbabilities, seededRandom, standardisationOf } from "./reference-head";

const signal = new AbortController().signal;
const labels = ["circle", "square", "triangle"];
const size = tinyCnnSpec.size;

/** Three 8×8 images of seeded random colours, and each one's pixels. */
async function images(): Promise<{ png: Buffer[]; pixels: Rgb[][] }> {
  const next = seededRandom(7);
  const pixels = Array.from({ length: 3 }, () =>
    Array.from(
      { length: size * size },
      (): Rgb => [next() * 255, next() * 255, next() * 255].map(Math.round) as never,
    ),
  );
  const png = await Promise.all(pixels.map((image) => pngOf(size, size, (x, y) => image[y * size + x]!)));
  return { png, pixels };
}

/** The images as the model takes them, worked out here: pixel / 255, less ImageNet's mean, over its std. */
function inputTensor(pixels: Rgb[][], layout: "NCHW" | "NHWC"): ort.Tensor {
  const { mean, std } = imageNetNormalisation;
  const data = new Float32Array(pixels.length * 3 * size * size);
  pixels.forEach((image, n) =>
    image.forEach((rgb, position) =>
      rgb.forEach((value, channel) => {
        const index =
          layout === "NCHW"
            ? (n * 3 + channel) * size * size + position
            : (n * size * size + position) * 3 + channel;
        data[index] = (value / 255 - mean[channel]!) / std[channel]!;
      }),
    ),
  );
  const shape = layout === "NCHW" ? [pixels.length, 3, size, size] : [pixels.length, size, size, 3];
  return new ort.Tensor("float32", data, shape);
}

describe("exporting a head on an ONNX base", () => {
  let runner: InProcessRunner;
  let context: TaskContext;
  const bases = { "tiny-cnn": buildTinyCnnBase(), "channels-last": buildChannelsLastBase() };

  beforeAll(async () => {
    runner = await InProcessRunner.create(
      Object.entries(bases).map(([name, onnx]) => ({ name, onnx, task: "embedding" as const })),
    );
    context = { runner, embedder: new FeatureEmbedder({ workers: 1 }), imageLimits: defaultImageLimits };
  });

  afterAll(async () => {
    await context?.embedder.close();
    await runner?.close();
  });

  it.each([
    ["tiny-cnn", "relu", "NCHW"],
    ["tiny-cnn", "features", "NCHW"],
    ["channels-last", "map", "NHWC"],
  ] as const)(
    "%s output %s (%s): the exported model's probabilities equal the head on the tier's features",
    async (name, output, layout) => {
      const { png, pixels } = await images();
      const base = await resolveFeatureBase(
        context,
        { model_name: name, model_version: "", feature_output: output },
        signal,
      );
      const features = await base.extract(png, signal);
      const head: HeadWeights = {
        ...standardisationOf(features),
        layers: randomLayers([base.dimension, 5, 3], 11),
      };
      expect(base.source.kind).toBe("model");
      if (base.source.kind !== "model") return;

      const exported = exportTrainedModel({
        base: { ...base.source, onnx: bases[name] },
        head,
        labels,
        metadata: { "tessera.training_job": "job-1", labels: "overridden" },
      });

      const session = await ort.InferenceSession.create(exported);
      expect(session.outputNames).toEqual(["probabilities"]);
      const results = await session.run({ image: inputTensor(pixels, layout) });
      const probabilities = results.probabilities!;
      expect(probabilities.dims).toEqual([3, 3]);
      features.forEach((vector, index) => {
        const expected = referenceProbabilities(head, vector);
        const actual = Array.from((probabilities.data as Float32Array).subarray(index * 3, index * 3 + 3));
        actual.forEach((value, k) => expect(Math.abs(value - expected[k]!)).toBeLessThan(1e-5));
      });
      await session.release();
    },
  );

  it("keeps only the part of the base that computes the features, with the labels in metadata", async () => {
    const base = await resolveFeatureBase(
      context,
      { model_name: "tiny-cnn", model_version: "", feature_output: "relu" },
      signal,
    );
    if (base.source.kind !== "model") throw new Error("expected a model base");
    const layers = randomLayers([4, 3], 5);
    const exported = exportTrainedModel({
      base: { ...base.source, onnx: bases["tiny-cnn"] },
      head: { inputMean: new Float32Array(4), inputScale: new Float32Array(4).fill(1), layers },
      labels,
      metadata: { "tessera.dataset_version": "dsv-1" },
    });
    const model = onnxProto.onnx.ModelProto.decode(exported);
    const graph = model.graph!;
    expect((graph.input ?? []).map((input) => input.name)).toEqual(["image"]);
    expect((graph.output ?? []).map((value) => value.name)).toEqual(["probabilities"]);
    expect((graph.initializer ?? []).map((tensor) => tensor.name)).toEqual([
      "conv.weight",
      "conv.bias",
      "head/dense_0/weight",
      "head/dense_0/bias",
    ]);
    expect((graph.node ?? []).map((node) => node.opType)).toEqual([
      "Conv",
      "Relu",
      "GlobalAveragePool",
      "Flatten",
      "Gemm",
      "Softmax",
    ]);
    expect(model.producerName).toBe("tessera");
    expect(model.opsetImport.map((entry) => [entry.domain, Number(entry.version)])).toEqual([["", 13]]);
    expect(Object.fromEntries(model.metadataProps.map((entry) => [entry.key, entry.value]))).toEqual({
      labels: JSON.stringify(labels),
      "tessera.dataset_version": "dsv-1",
    });
  });

  it('renames a classifier\'s own "probabilities" when they are the features', async () => {
    const head: HeadWeights = {
      inputMean: Float32Array.of(0.3, 0.3, 0.4),
      inputScale: Float32Array.of(2, 3, 4),
      layers: randomLayers([3, 2], 4),
    };
    const exported = exportTrainedModel({
      base: {
        kind: "model",
        name: "classifier",
        version: "1",
        output: "probabilities",
        map: null,
        onnx: buildLinearClassifier().toBytes(),
      },
      head,
      labels: ["yes", "no"],
    });
    const session = await ort.InferenceSession.create(exported);
    expect(session.outputNames).toEqual(["probabilities"]);
    const row = [1, 2, 3, 4];
    const { probabilities } = await session.run({
      input: new ort.Tensor("float32", Float32Array.from(row), [1, 4]),
    });
    const expected = referenceProbabilities(head, Float32Array.from(expectedProbabilities(row)));
    Array.from(probabilities!.data as Float32Array).forEach((value, k) =>
      expect(Math.abs(value - expected[k]!)).toBeLessThan(1e-5),
    );
    await session.release();
  });

  it("refuses a head that does not fit the labels", () => {
    const layers = randomLayers([4, 2], 5);
    expect(() =>
      exportTrainedModel({
        base: {
          kind: "model",
          name: "tiny-cnn",
          version: "1",
          output: "features",
          map: null,
          onnx: bases["tiny-cnn"],
        },
        head: { inputMean: new Float32Array(4), inputScale: new Float32Array(4).fill(1), layers },
        labels,
      }),
    ).toThrow("the head scores 2 classes but 3 labels were given");
  });
});

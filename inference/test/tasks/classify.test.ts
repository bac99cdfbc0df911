import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InProcessRunner } from "./support/in-process-runner";
import { startTaskServer, type TaskServer } from "./support/task-server";
import {
  buildChannelMeanDepth,
  buildColourClassifier,
  colourClassifierSpec,
  unitScale,
} from "./support/task-models";
import { pngOf, type Rgb } from "./support/test-images";

/** What the classifier answers for these channel means, worked out without the tier's code. */
function expectedProbabilities(means: readonly number[]): number[] {
  const logits = colourClassifierSpec.weights.map(
    (row, k) =>
      row.reduce((sum, weight, channel) => sum + weight * means[channel]!, 0) + colourClassifierSpec.bias[k]!,
  );
  const exps = logits.map((logit) => Math.exp(logit));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

function ranked(probabilities: number[], labels: readonly string[]) {
  return probabilities
    .map((score, index) => ({ index, score, label: labels[index] }))
    .sort((a, b) => b.score - a.score);
}

describe("Classify", () => {
  let runner: InProcessRunner;
  let server: TaskServer;
  // Left half (200, 40, 20), right half (100, 60, 220): channel means 150, 50 and 120 (of 255).
  const halves = (x: number): Rgb => (x < 2 ? [200, 40, 20] : [100, 60, 220]);
  const means = [150 / 255, 50 / 255, 120 / 255];

  beforeAll(async () => {
    runner = await InProcessRunner.create([
      {
        name: "colours",
        onnx: buildColourClassifier({ softmax: true }),
        task: "classification",
        labels: [...colourClassifierSpec.labels],
        preprocessing: unitScale,
      },
      {
        name: "colour-logits",
        onnx: buildColourClassifier({ softmax: false }),
        task: "classification",
        preprocessing: unitScale,
      },
      { name: "imagenet-default", onnx: buildColourClassifier({ softmax: true }), task: "classification" },
      { name: "depth", onnx: buildChannelMeanDepth({ width: 4, height: 4 }), task: "depth" },
    ]);
    server = await startTaskServer(runner);
  });

  afterAll(async () => {
    await server?.close();
    await runner?.close();
  });

  it("answers the top-k classes with the probabilities worked out from the pixel values", async () => {
    const image = await pngOf(4, 4, halves);
    const response = await server.call<{ predictions: { label: string; score: number; index: number }[] }>(
      "Classify",
      {
        model_name: "colours",
        image,
        top_k: 2,
      },
    );
    const expected = ranked(expectedProbabilities(means), colourClassifierSpec.labels).slice(0, 2);
    expect(response).toMatchObject({ model_name: "colours", model_version: "1" });
    expect(response.predictions.map(({ label, index }) => ({ label, index }))).toEqual(
      expected.map(({ label, index }) => ({ label, index })),
    );
    response.predictions.forEach((prediction, rank) =>
      expect(prediction.score).toBeCloseTo(expected[rank]!.score, 6),
    );
  });

  it("applies softmax to a model that stops at logits, and names unlabelled classes class_<i>", async () => {
    const image = await pngOf(4, 4, halves);
    const response = await server.call<{ predictions: { label: string; score: number; index: number }[] }>(
      "Classify",
      {
        model_name: "colour-logits",
        image,
      },
    );
    const expected = ranked(expectedProbabilities(means), ["class_0", "class_1", "class_2"]);
    // top_k 0 means 5, more than the 3 classes there are: all of them.
    expect(response.predictions).toHaveLength(3);
    response.predictions.forEach((prediction, rank) => {
      expect(prediction.label).toBe(expected[rank]!.label);
      expect(prediction.score).toBeCloseTo(expected[rank]!.score, 6);
    });
    expect(response.predictions.reduce((sum, prediction) => sum + prediction.score, 0)).toBeCloseTo(1, 6);
  });

  it("resizes to the model's input and normalises with ImageNet's mean and std when the model says nothing", async () => {
    // A solid 9×7 image stays the same colour when resized to 4×4.
    const image = await pngOf(9, 7, () => [30, 180, 90]);
    const imageNet = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
    const normalised = [30, 180, 90].map(
      (level, channel) => (level / 255 - imageNet.mean[channel]!) / imageNet.std[channel]!,
    );
    const response = await server.call<{
      predictions: { index: number; score: number }[];
      latency_ms: number;
    }>("Classify", {
      model_name: "imagenet-default",
      image,
      top_k: 1,
    });
    const [best] = ranked(expectedProbabilities(normalised), colourClassifierSpec.labels);
    expect(response.predictions).toHaveLength(1);
    expect(response.predictions[0]!.index).toBe(best!.index);
    expect(response.predictions[0]!.score).toBeCloseTo(best!.score, 5);
    expect(response.latency_ms).toBeGreaterThan(0);
  });

  it("answers NOT_FOUND for an unknown model and FAILED_PRECONDITION naming the task of a depth model", async () => {
    const image = await pngOf(4, 4, halves);
    await expect(server.call("Classify", { model_name: "nobody", image })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    await expect(server.call("Classify", { model_name: "depth", image })).rejects.toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: 'Classify needs a classification model; model "depth" version 1 is a depth model',
    });
  });

  it("answers INVALID_ARGUMENT for bytes that are not an image", async () => {
    await expect(
      server.call("Classify", { model_name: "colours", image: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) }),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: "The bytes are not a JPEG, PNG, WebP or GIF image (9 bytes starting 01 02 03 04 05 06 07 08)",
    });
  });
});

import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Preprocessing } from "../../src/runtime/model-runner";
import { InProcessRunner } from "./support/in-process-runner";
import { startTaskServer, type TaskServer } from "./support/task-server";
import { buildColourClassifier, buildPooledSegmenter, unitScale } from "./support/task-models";
import { greyValues, pngOf, type Rgb } from "./support/test-images";

const unitScaleCover: Preprocessing = {
  ...unitScale,
  // Ignored for segmentation, which always stretches: every input pixel needs an answer.
  resize: "cover",
};

interface SegmentResponse {
  mask_png: Buffer;
  width: number;
  height: number;
  classes: { index: number; label: string; pixel_count: number; fraction: number }[];
  labels: string[];
}

const red: Rgb = [255, 0, 0];
const green: Rgb = [0, 255, 0];
const blue: Rgb = [0, 0, 255];

/**
 * 7×5 pixels in 2×2 blocks: top row red, green, blue; bottom row blue, blue, red. The model pools
 * 2×2 (floor), so the last column and row (green) never reach it and its mask is 3×2:
 * [[0, 1, 2], [2, 2, 0]]. Nearest-neighbour back to 7×5 takes column floor((x + 0.5)·3/7) =
 * 0 0 1 1 1 2 2 and row floor((y + 0.5)·2/5) = 0 0 1 1 1.
 */
const blocks: Rgb[][] = [
  [red, green, blue],
  [blue, blue, red],
];
const blockImage = () =>
  pngOf(7, 5, (x, y) => (x === 6 || y === 4 ? green : blocks[Math.floor(y / 2)]![Math.floor(x / 2)]!));
const expectedMask = [
  [0, 0, 1, 1, 1, 2, 2],
  [0, 0, 1, 1, 1, 2, 2],
  [2, 2, 2, 2, 2, 0, 0],
  [2, 2, 2, 2, 2, 0, 0],
  [2, 2, 2, 2, 2, 0, 0],
].flat();

const identity = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

describe("Segment", () => {
  let runner: InProcessRunner;
  let server: TaskServer;

  beforeAll(async () => {
    // 300 classes, all scoring 0 but 0 (blue), 5 (green) and 299 (red).
    const wide = Array.from({ length: 300 }, (_, k) =>
      k === 299 ? [1, 0, 0] : k === 5 ? [0, 1, 0] : k === 0 ? [0, 0, 1] : [0, 0, 0],
    );
    runner = await InProcessRunner.create([
      {
        name: "colours",
        onnx: buildPooledSegmenter(identity),
        task: "segmentation",
        labels: ["red", "green", "blue"],
        preprocessing: unitScaleCover,
      },
      {
        name: "colour-indices",
        onnx: buildPooledSegmenter(identity, { argmax: true }),
        task: "segmentation",
        labels: ["red", "green", "blue"],
        preprocessing: unitScaleCover,
      },
      { name: "wide", onnx: buildPooledSegmenter(wide), task: "segmentation", preprocessing: unitScaleCover },
      { name: "classifier", onnx: buildColourClassifier({ softmax: true }), task: "classification" },
    ]);
    server = await startTaskServer(runner);
  });

  afterAll(async () => {
    await server?.close();
    await runner?.close();
  });

  it("answers an 8-bit mask at the odd input size with exact per-class counts and fractions", async () => {
    const response = await server.call<SegmentResponse>("Segment", {
      model_name: "colours",
      image: await blockImage(),
    });
    expect([response.width, response.height]).toEqual([7, 5]);
    const mask = await greyValues(response.mask_png);
    expect([mask.width, mask.height, mask.depth]).toEqual([7, 5, "uchar"]);
    expect(mask.values).toEqual(expectedMask);
    expect(response.labels).toEqual(["red", "green", "blue"]);
    expect(response.classes).toEqual([
      { index: 0, label: "red", pixel_count: 10, fraction: 10 / 35 },
      { index: 1, label: "green", pixel_count: 6, fraction: 6 / 35 },
      { index: 2, label: "blue", pixel_count: 19, fraction: 19 / 35 },
    ]);
  });

  it("reads class indices from a model that takes the argmax itself", async () => {
    const response = await server.call<SegmentResponse>("Segment", {
      model_name: "colour-indices",
      image: await blockImage(),
    });
    expect((await greyValues(response.mask_png)).values).toEqual(expectedMask);
    expect(response.classes.map((entry) => entry.pixel_count)).toEqual([10, 6, 19]);
  });

  it("writes a 16-bit mask for a model with more than 256 classes and lists only the classes present", async () => {
    const response = await server.call<SegmentResponse>("Segment", {
      model_name: "wide",
      image: await blockImage(),
    });
    const mask = await greyValues(response.mask_png);
    expect(mask.depth).toBe("ushort");
    expect(mask.values).toEqual(expectedMask.map((index) => [299, 5, 0][index]));
    expect(response.labels).toHaveLength(300);
    expect(response.labels[299]).toBe("class_299");
    expect(response.classes).toEqual([
      { index: 0, label: "class_0", pixel_count: 19, fraction: 19 / 35 },
      { index: 5, label: "class_5", pixel_count: 6, fraction: 6 / 35 },
      { index: 299, label: "class_299", pixel_count: 10, fraction: 10 / 35 },
    ]);
  });

  it("answers FAILED_PRECONDITION for a classifier and INVALID_ARGUMENT for random bytes", async () => {
    await expect(
      server.call("Segment", { model_name: "classifier", image: await blockImage() }),
    ).rejects.toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: 'Segment needs a segmentation model; model "classifier" version 1 is a classification model',
    });
    const noise = Buffer.from(Array.from({ length: 256 }, (_, index) => (index * 37 + 11) % 256));
    await expect(server.call("Segment", { model_name: "colours", image: noise })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
  });
});

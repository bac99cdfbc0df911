import * as grpc from "@grpc/grpc-js";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Preprocessing } from "../../src/runtime/model-runner";
import { InProcessRunner } from "./support/in-process-runner";
import { startTaskServer, type TaskServer } from "./support/task-server";
import { buildChannelMeanDepth, buildColourClassifier } from "./support/task-models";
import { greyValues, pngDeclaring, pngOf } from "./support/test-images";

/** Tensor values equal to the 8-bit levels: (level / 255 - 0) / (1 / 255). */
const levels: Preprocessing = {
  width: null,
  height: null,
  layout: "NCHW",
  colorOrder: "RGB",
  mean: [0, 0, 0],
  std: [1 / 255, 1 / 255, 1 / 255],
  resize: "stretch",
};

interface DepthResponse {
  depth: Buffer;
  depth_width: number;
  depth_height: number;
  min: number;
  max: number;
  depth_png: Buffer;
  preview_png: Buffer;
  width: number;
  height: number;
}

const floats = (bytes: Buffer) => [
  ...new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)),
];

describe("EstimateDepth", () => {
  let runner: InProcessRunner;
  let server: TaskServer;

  beforeAll(async () => {
    runner = await InProcessRunner.create([
      {
        name: "any-size",
        onnx: buildChannelMeanDepth({ width: "width", height: "height" }),
        task: "depth",
        preprocessing: levels,
      },
      {
        name: "four-by-four",
        onnx: buildChannelMeanDepth({ width: 4, height: 4 }),
        task: "depth",
        preprocessing: levels,
      },
      { name: "classifier", onnx: buildColourClassifier({ softmax: true }), task: "classification" },
    ]);
    server = await startTaskServer(runner);
  });

  afterAll(async () => {
    await server?.close();
    await runner?.close();
  });

  it("returns the depth map, its range, a 16-bit PNG scaled min → 0 … max → 65535 and a turbo preview", async () => {
    // Depth 10x + 50y + 20 over 5×3 pixels, drawn as (d - 10, d, d + 10): the channel mean is d.
    const depthAt = (x: number, y: number) => 10 * x + 50 * y + 20;
    const image = await pngOf(5, 3, (x, y) => [depthAt(x, y) - 10, depthAt(x, y), depthAt(x, y) + 10]);
    const response = await server.call<DepthResponse>("EstimateDepth", { model_name: "any-size", image });

    const expected = Array.from({ length: 15 }, (_, pixel) => depthAt(pixel % 5, Math.floor(pixel / 5)));
    expect(response).toMatchObject({
      depth_width: 5,
      depth_height: 3,
      width: 5,
      height: 3,
      min: 20,
      max: 160,
    });
    expect(floats(response.depth)).toEqual(expected);

    const png = await greyValues(response.depth_png);
    expect([png.width, png.height, png.depth]).toEqual([5, 3, "ushort"]);
    expect(png.values).toEqual(expected.map((depth) => Math.round(((depth - 20) / 140) * 65535)));

    const preview = await sharp(response.preview_png).raw().toBuffer({ resolveWithObject: true });
    expect([preview.info.width, preview.info.height, preview.info.channels]).toEqual([5, 3, 3]);
    // Turbo's ends from its polynomial's constant terms (x = 0) and coefficient sums (x = 1).
    expect([...preview.data.subarray(0, 3)]).toEqual([35, 23, 27]);
    expect([...preview.data.subarray(14 * 3, 15 * 3)]).toEqual([144, 13, 0]);
  });

  it("keeps the map at the model's resolution and renders the PNGs at the input image's size", async () => {
    const image = await pngOf(7, 5, () => [30, 60, 90]);
    const response = await server.call<DepthResponse>("EstimateDepth", { model_name: "four-by-four", image });
    expect(response).toMatchObject({
      depth_width: 4,
      depth_height: 4,
      width: 7,
      height: 5,
      min: 60,
      max: 60,
    });
    expect(floats(response.depth)).toEqual(new Array(16).fill(60));
    // A flat map has no depth differences to show: every level is 0.
    const png = await greyValues(response.depth_png);
    expect([png.width, png.height]).toEqual([7, 5]);
    expect(new Set(png.values)).toEqual(new Set([0]));
    expect((await sharp(response.preview_png).metadata()).width).toBe(7);
  });

  it("refuses a decompression bomb, a truncated PNG and a classifier", async () => {
    await expect(
      server.call("EstimateDepth", { model_name: "any-size", image: pngDeclaring(100_000, 100_000) }),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: "The image is 100000×100000 pixels (10000 MP); at most 50 MP are accepted",
    });
    const whole = await pngOf(32, 32, (x, y) => [x * 8, y * 8, 0]);
    await expect(
      server.call("EstimateDepth", { model_name: "any-size", image: whole.subarray(0, whole.length - 40) }),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining("truncated or corrupt"),
    });
    await expect(
      server.call("EstimateDepth", { model_name: "classifier", image: whole }),
    ).rejects.toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: 'EstimateDepth needs a depth model; model "classifier" version 1 is a classification model',
    });
  });
});

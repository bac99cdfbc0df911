import * as grpc from "@grpc/grpc-js";
import { buildNmsDetector, buildSceneDetector, sceneDetectorSpec } from "@tessera/onnx/fixtures";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openImage } from "../../../src/images/decode-image";
import { InProcessRunner } from "../support/in-process-runner";
import { buildColourClassifier } from "../support/task-models";
import { startTaskServer, type TaskServer } from "../support/task-server";
import { pngOf } from "../support/test-images";

interface DetectResponse {
  detections: { label: string; score: number; class_index: number; box: Record<string, number> }[];
  width: number;
  height: number;
}

const labels = [...sceneDetectorSpec.labels];
const wideImage = () => pngOf(200, 100, () => [255, 0, 0]);

/** The detections with scores rounded from float32, as a reader compares them. */
const plain = (response: DetectResponse) =>
  response.detections.map(({ label, score, class_index, box }) => ({
    label,
    score: Math.round(score * 1e6) / 1e6,
    classIndex: class_index,
    box,
  }));

describe("Detect", () => {
  let runner: InProcessRunner;
  let server: TaskServer;

  beforeAll(async () => {
    runner = await InProcessRunner.create([
      { name: "scene", onnx: buildSceneDetector().toBytes(), task: "detection", labels },
      {
        name: "scene-nms",
        onnx: buildNmsDetector([{ x1: 16, y1: 24, x2: 48, y2: 40, score: 0.9, classIndex: 1 }], {
          width: 64,
          height: 64,
          rows: 4,
        }).toBytes(),
        task: "detection",
        labels,
      },
      { name: "classifier", onnx: buildColourClassifier({ softmax: true }), task: "classification" },
      { name: "not-a-detector", onnx: buildColourClassifier({ softmax: true }), task: "detection" },
    ]);
    server = await startTaskServer(runner);
  });

  afterAll(async () => {
    await server?.close();
    await runner?.close();
  });

  it("answers YOLOv8 boxes in the non-square source image's pixels after per-class NMS", async () => {
    const response = await server.call<DetectResponse>("Detect", {
      model_name: "scene",
      image: await wideImage(),
    });
    expect([response.width, response.height]).toEqual([200, 100]);
    expect(plain(response)).toEqual(sceneDetectorSpec.expectedOn200x100);
  });

  it("applies minScore, iou and maxDetections", async () => {
    const call = async (request: object) =>
      plain(
        await server.call<DetectResponse>("Detect", {
          model_name: "scene",
          image: await wideImage(),
          ...request,
        }),
      );
    expect((await call({ min_score: 0.55 })).map((d) => d.score)).toEqual([0.9, 0.6]);
    expect((await call({ iou: 0.95 })).map((d) => d.score)).toEqual([0.9, 0.8, 0.6, 0.5]);
    expect((await call({ max_detections: 1 })).map((d) => d.label)).toEqual(["person"]);
  });

  it("reads an NMS export's [N, 6] rows", async () => {
    const response = await server.call<DetectResponse>("Detect", {
      model_name: "scene-nms",
      image: await wideImage(),
    });
    expect(plain(response)).toEqual([
      { label: "car", score: 0.9, classIndex: 1, box: { x1: 50, y1: 25, x2: 150, y2: 75 } },
    ]);
  });

  it("refuses thresholds out of bounds, other tasks' models and unknown output shapes", async () => {
    const image = await wideImage();
    for (const bad of [{ min_score: 1.5 }, { iou: -0.1 }, { max_detections: 1001 }]) {
      await expect(server.call("Detect", { model_name: "scene", image, ...bad })).rejects.toMatchObject({
        code: grpc.status.INVALID_ARGUMENT,
      });
    }
    await expect(server.call("Detect", { model_name: "classifier", image })).rejects.toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: expect.stringContaining("Detect needs a detection model"),
    });
    await expect(server.call("Detect", { model_name: "not-a-detector", image })).rejects.toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: expect.stringContaining("[3]"),
    });
  });
});

describe("letterbox decoding", () => {
  it("centres the resized image on grey 114", async () => {
    const opened = await openImage(await wideImage());
    const pixels = await opened.rgb({ width: 64, height: 64, fit: "letterbox" });
    expect([pixels.width, pixels.height]).toEqual([64, 64]);
    const row = (y: number) => Array.from(pixels.data.subarray(y * 64 * 3, y * 64 * 3 + 3));
    expect([row(0), row(15), row(16), row(47), row(48), row(63)]).toEqual([
      [114, 114, 114],
      [114, 114, 114],
      [255, 0, 0],
      [255, 0, 0],
      [114, 114, 114],
      [114, 114, 114],
    ]);
    // Its EXIF-rotated size is what the letterbox fits.
    const rotated = await sharp(await wideImage())
      .withMetadata({ orientation: 6 })
      .png()
      .toBuffer();
    expect((await (await openImage(rotated)).rgb({ width: 64, height: 64, fit: "letterbox" })).width).toBe(
      64,
    );
  });
});

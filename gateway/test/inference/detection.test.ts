import { buildNmsDetector, buildSceneDetector, sceneDetectorSpec } from "@tessera/onnx/fixtures";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { buildColourClassifier, deployReady, solidPng, uploadOnnx, withImage } from "./inference-api";

const DETECT = `
  mutation ($id: ID!, $image: ImageInput!, $minScore: Float, $iou: Float, $maxDetections: Int) {
    detectObjects(modelVersionId: $id, image: $image, minScore: $minScore, iou: $iou, maxDetections: $maxDetections) {
      modelVersionId width height latencyMs annotatedImageUrl
      detections { label score classIndex box { x1 y1 x2 y2 } }
    }
  }`;

interface ObjectDetections {
  modelVersionId: string;
  width: number;
  height: number;
  annotatedImageUrl: string;
  detections: { label: string; score: number; classIndex: number; box: Record<string, number> }[];
}

const grey = [128, 128, 128] as const;

describe("detectObjects", () => {
  let gateway: TestGateway;
  let scene: string;

  const detect = (id: string, image: Buffer, options: Record<string, unknown> = {}) =>
    withImage<{ detectObjects: ObjectDetections }>(gateway, DETECT, { id, ...options }, image);
  const errorCode = (body: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
    body.errors?.[0]?.extensions?.code;
  const rounded = (detections: ObjectDetections["detections"]) =>
    detections.map((d) => ({ ...d, score: Math.round(d.score * 1e6) / 1e6 }));

  beforeAll(async () => {
    gateway = await startTestGateway();
    const onnx = Buffer.from(buildSceneDetector().toBytes());
    scene = (await uploadOnnx(gateway, "scene-detector", onnx, { modelType: "DETECTION" })).id;
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("answers YOLOv8 boxes in a wide image's pixels (letterbox by default) and an annotated PNG", async () => {
    const body = await detect(scene, await solidPng(grey, 200, 100));
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const answer = body.data!.detectObjects;
    expect(answer).toMatchObject({ modelVersionId: scene, width: 200, height: 100 });
    expect(rounded(answer.detections)).toEqual(sceneDetectorSpec.expectedOn200x100);

    const response = await fetch(answer.annotatedImageUrl);
    expect(response.headers.get("content-type")).toContain("image/png");
    const { data, info } = await sharp(Buffer.from(await response.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([200, 100]);
    const pixel = (x: number, y: number) => {
      const at = (y * 200 + x) * info.channels;
      return [...data.subarray(at, at + 3)];
    };
    expect(pixel(100, 50)).toEqual([...grey]);
    // The person's box (class 0, #FF3838) is outlined along x = 50, the car's (#2C99A8) along x = 53.125.
    expect(pixel(50, 50)).toEqual([255, 56, 56]);
    expect(pixel(53, 50)).toEqual([44, 153, 168]);
  });

  it("maps an NMS export's boxes back through the letterbox of a tall image", async () => {
    const onnx = buildNmsDetector([{ x1: 20, y1: 16, x2: 40, y2: 48, score: 0.75, classIndex: 1 }], {
      width: 64,
      height: 64,
      rows: 3,
      metadata: { labels: JSON.stringify(sceneDetectorSpec.labels) },
    });
    const version = await uploadOnnx(gateway, "nms-detector", Buffer.from(onnx.toBytes()), {
      modelType: "DETECTION",
    });
    const deployment = await deployReady(gateway, version.id);
    expect(deployment.state).toBe("READY");
    const body = await detect(version.id, await solidPng(grey, 100, 150));
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    // r = 64/150, 43 columns wide, 10 columns of padding on the left: x = (x' - 10)·150/64, y = y'·150/64.
    expect(rounded(body.data!.detectObjects.detections)).toEqual([
      { label: "car", score: 0.75, classIndex: 1, box: { x1: 23.4375, y1: 37.5, x2: 70.3125, y2: 112.5 } },
    ]);
  });

  it("refuses thresholds outside their bounds before anything runs", async () => {
    const image = await solidPng(grey, 20, 10);
    for (const bad of [
      { minScore: 0 },
      { minScore: 1.5 },
      { iou: 0 },
      { maxDetections: 0 },
      { maxDetections: 1001 },
    ]) {
      const body = await detect(scene, image, bad);
      expect(errorCode(body), JSON.stringify(bad)).toBe("BAD_USER_INPUT");
    }
  });

  it("refuses a model of another task, then the same graph deployed as a detector for its output shape", async () => {
    const image = await solidPng(grey, 20, 10);
    const classifier = await uploadOnnx(gateway, "colours", buildColourClassifier());
    const asClassifier = await detect(classifier.id, image);
    expect(errorCode(asClassifier)).toBe("FAILED_PRECONDITION");
    expect(asClassifier.errors?.[0]?.message).toContain("deployed for CLASSIFICATION");
    await deployReady(gateway, classifier.id, { task: "DETECTION" });
    const asDetector = await detect(classifier.id, image);
    expect(errorCode(asDetector)).toBe("FAILED_PRECONDITION");
    expect(asDetector.errors?.[0]?.message).toContain("[3]");
  });
});

import { describe, expect, it } from "vitest";
import { letterboxOf, placementOf } from "../../../src/images/letterbox";
import {
  decodeNmsRows,
  decodeYoloV8,
  detectionLayoutOf,
} from "../../../src/tasks/detection/detection-output";
import { intersectionOverUnion, suppressPerClass } from "../../../src/tasks/detection/non-max-suppression";
import { toSourcePixels } from "../../../src/tasks/detection/source-boxes";

const box = (x1: number, y1: number, x2: number, y2: number, score: number, classIndex = 0) => ({
  x1,
  y1,
  x2,
  y2,
  score,
  classIndex,
});

describe("letterbox geometry", () => {
  it("scales by min(H/h, W/w) and centres, the odd pixel of padding going right", () => {
    expect(letterboxOf({ width: 200, height: 100 }, { width: 64, height: 64 })).toEqual({
      width: 64,
      height: 32,
      top: 16,
      bottom: 16,
      left: 0,
      right: 0,
      scaleX: 0.32,
      scaleY: 0.32,
      offsetX: 0,
      offsetY: 16,
    });
    // r = 64/150; 100·r = 42.67 → 43 wide, 21 columns of padding split 10 | 11.
    expect(letterboxOf({ width: 100, height: 150 }, { width: 64, height: 64 })).toMatchObject({
      width: 43,
      height: 64,
      left: 10,
      right: 11,
      top: 0,
      bottom: 0,
    });
  });

  it("maps a model box back to source pixels and clips it to the image", () => {
    const placement = placementOf("letterbox", { width: 200, height: 100 }, { width: 64, height: 64 });
    expect(toSourcePixels(box(16, 24, 48, 40, 1), placement, { width: 200, height: 100 })).toEqual(
      box(50, 25, 150, 75, 1),
    );
    expect(toSourcePixels(box(-4, 8, 70, 60, 1), placement, { width: 200, height: 100 })).toEqual(
      box(0, 0, 200, 100, 1),
    );
    const stretched = placementOf("stretch", { width: 200, height: 100 }, { width: 64, height: 64 });
    expect(toSourcePixels(box(16, 16, 32, 32, 1), stretched, { width: 200, height: 100 })).toEqual(
      box(50, 25, 100, 50, 1),
    );
  });
});

describe("detector outputs", () => {
  it("tells the YOLOv8 head from an NMS export by shape, ignoring leading 1s", () => {
    expect(detectionLayoutOf([1, 84, 8400], 80)).toEqual({ layout: "yolov8", rows: 84, columns: 8400 });
    expect(detectionLayoutOf([300, 6], 80)).toEqual({ layout: "nms", rows: 300, columns: 6 });
    expect(detectionLayoutOf([6, 6], 2)?.layout).toBe("yolov8");
    expect(detectionLayoutOf([6, 6], 80)?.layout).toBe("nms");
    expect(detectionLayoutOf([3], 3)).toBeNull();
    expect(detectionLayoutOf([4, 10], 0)).toBeNull();
  });

  it("reads [4 + C, N] transposed: one candidate per column, its best class, none below minScore", () => {
    // Two candidates, two classes: rows cx, cy, w, h, class 0, class 1.
    const values = Float32Array.from([10, 50, 20, 60, 4, 8, 6, 2, 0.3, 0.1, 0.5, 0.05]);
    expect(decodeYoloV8(values, 6, 2, 0.25)).toEqual([
      { x1: 8, y1: 17, x2: 12, y2: 23, score: 0.5, classIndex: 1 },
    ]);
    expect(decodeYoloV8(values, 6, 2, 0.05).map((c) => c.classIndex)).toEqual([1, 0]);
  });

  it("reads NMS rows and drops the zero rows that pad them", () => {
    const values = Float64Array.from([1, 2, 3, 4, 0.9, 2, 0, 0, 0, 0, 0, 0]);
    expect(decodeNmsRows(values, 2, 0.25)).toEqual([box(1, 2, 3, 4, 0.9, 2)]);
  });
});

describe("per-class non-maximum suppression", () => {
  it("computes IoU as overlap over union", () => {
    expect(intersectionOverUnion(box(0, 0, 2, 2, 1), box(1, 0, 3, 2, 1))).toBeCloseTo(2 / 6, 12);
    expect(intersectionOverUnion(box(0, 0, 1, 1, 1), box(2, 2, 3, 3, 1))).toBe(0);
  });

  it("drops a box above the IoU threshold with a better box of its own class only", () => {
    const candidates = [
      box(0, 0, 10, 10, 0.6, 0),
      box(0, 0, 10, 10, 0.9, 0),
      box(1, 0, 11, 10, 0.8, 1),
      box(1, 0, 11, 10, 0.7, 0),
      box(20, 20, 30, 30, 0.5, 0),
    ];
    // IoU of the 1-pixel shift: 90/110 ≈ 0.818.
    expect(suppressPerClass(candidates, { iou: 0.7, maxDetections: 300 }).map((c) => c.score)).toEqual([
      0.9, 0.8, 0.5,
    ]);
    expect(suppressPerClass(candidates, { iou: 0.85, maxDetections: 300 }).map((c) => c.score)).toEqual([
      0.9, 0.8, 0.7, 0.5,
    ]);
    expect(suppressPerClass(candidates, { iou: 0.7, maxDetections: 2 }).map((c) => c.score)).toEqual([
      0.9, 0.8,
    ]);
  });
});

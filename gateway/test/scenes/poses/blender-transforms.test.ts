import { describe, expect, it } from "vitest";
import { parseBlenderTransforms } from "../../../src/scenes/poses/blender-transforms";
import { checkTransform, resolveCamera } from "../../../src/scenes/poses/pose-types";
import { badInputOf, ringOfCameras } from "./pose-fixtures";

const lego = 0.6911112070083618;
const ring = ringOfCameras(3, 4.03);
const file = (split: "TRAIN" | "VAL" | "TEST", frames: unknown[], extra: object = {}) => ({
  split,
  fileName: `transforms_${split.toLowerCase()}.json`,
  transforms: { camera_angle_x: lego, frames, ...extra },
});

describe("parseBlenderTransforms", () => {
  it("lists train, then val, then test frames with their split, as given", () => {
    const poses = parseBlenderTransforms([
      file("TEST", [{ file_path: "./test/r_0", transform_matrix: ring[2] }]),
      file("TRAIN", [
        { file_path: "./train/r_0", transform_matrix: ring[0] },
        { file_path: "./train/r_1.png", transform_matrix: ring[1] },
      ]),
    ]);
    expect(poses.format).toBe("BLENDER");
    expect(poses.aabbScale).toBeNull();
    expect(poses.frames.map((f) => [f.filePath, f.split])).toEqual([
      ["./train/r_0", "TRAIN"],
      ["./train/r_1.png", "TRAIN"],
      ["./test/r_0", "TEST"],
    ]);
    expect(poses.frames[0]!.transform).toEqual(ring[0]!.flat());
  });

  it("derives fx = 0.5·w / tan(camera_angle_x / 2), square pixels, centred principal point", () => {
    const [frame] = parseBlenderTransforms([
      file("TRAIN", [{ file_path: "a", transform_matrix: ring[0] }]),
    ]).frames;
    const camera = resolveCamera(frame!.lens, 800, 800);
    // NeRF-synthetic lego at 800×800: the focal length every loader computes.
    expect(camera).toMatchObject({ model: "PINHOLE", cx: 400, cy: 400, k1: 0, p2: 0 });
    expect((camera as { fx: number }).fx).toBeCloseTo(1111.1110311937682, 6);
    expect((camera as { fy: number }).fy).toBeCloseTo(1111.1110311937682, 6);
  });

  it("refuses a file without camera_angle_x, or with one ≤ 0", () => {
    const frames = [{ file_path: "a", transform_matrix: ring[0] }];
    expect(
      badInputOf(() => parseBlenderTransforms([file("TRAIN", frames, { camera_angle_x: undefined })])),
    ).toEqual({
      code: "BAD_USER_INPUT",
      message: 'transforms_train.json has no "camera_angle_x": the intrinsics are missing',
    });
    expect(
      badInputOf(() => parseBlenderTransforms([file("TRAIN", frames, { camera_angle_x: 0 })])).message,
    ).toBe('transforms_train.json "camera_angle_x" must be a number greater than 0, got 0');
  });
});

describe("checkTransform", () => {
  it("accepts a rigid 4×4 and returns it row by row", () => {
    expect(checkTransform(ring[1], "f")).toEqual(ring[1]!.flat());
  });

  it("refuses matrices that are not 4×4", () => {
    const message = 'f "transform_matrix" must be a 4×4 matrix of numbers';
    expect(badInputOf(() => checkTransform(ring[0]!.slice(0, 3), "f")).message).toBe(message);
    expect(
      badInputOf(() =>
        checkTransform(
          ring[0]!.map((row) => row.slice(0, 3)),
          "f",
        ),
      ).message,
    ).toBe(message);
    expect(badInputOf(() => checkTransform("identity", "f")).message).toBe(message);
  });

  it("refuses a scaled, a reflected or a projective matrix", () => {
    const scaled = ring[0]!.map((row, i) => (i < 3 ? row.map((x, j) => (j < 3 ? x * 1.01 : x)) : row));
    expect(badInputOf(() => checkTransform(scaled, "f")).message).toMatch(
      /^f "transform_matrix" is not rigid: its rotation must be orthonormal within 0.001 \(RᵀR differs from I by 0.0201/,
    );
    const reflected = ring[0]!.map((row) => [-row[0]!, row[1]!, row[2]!, row[3]!]);
    reflected[3] = [0, 0, 0, 1];
    expect(badInputOf(() => checkTransform(reflected, "f")).message).toMatch(/det -1.00/);
    const projective = [...ring[0]!.slice(0, 3), [0, 0, 0.5, 1]];
    expect(badInputOf(() => checkTransform(projective, "f")).message).toBe(
      'f "transform_matrix" is not rigid: its last row must be 0 0 0 1',
    );
  });

  it("tolerates the rounding of printed matrices (within 1e-3)", () => {
    const rounded = ring[0]!.map((row) => row.map((x) => Math.round(x * 1e4) / 1e4));
    expect(checkTransform(rounded, "f")).toHaveLength(16);
  });
});

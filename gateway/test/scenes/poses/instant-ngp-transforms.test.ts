import { describe, expect, it } from "vitest";
import { parseInstantNgpTransforms } from "../../../src/scenes/poses/instant-ngp-transforms";
import { resolveCamera } from "../../../src/scenes/poses/pose-types";
import { badInputOf, ringOfCameras } from "./pose-fixtures";

const ring = ringOfCameras(2, 3);
const frames = [
  { file_path: "./images/0001.jpg", sharpness: 30.1, transform_matrix: ring[0] },
  { file_path: "./images/0002.jpg", sharpness: 28.4, transform_matrix: ring[1] },
];
/** The shape of instant-ngp's data/nerf/fox/transforms.json (values shortened). */
const fox = {
  camera_angle_x: 1.3,
  camera_angle_y: 0.9,
  fl_x: 1375.5,
  fl_y: 1374.2,
  k1: 0.0529,
  k2: -0.0771,
  p1: -0.0012,
  p2: 0.0004,
  cx: 554.2,
  cy: 965.6,
  w: 1080,
  h: 1920,
  aabb_scale: 4,
  frames,
};

describe("parseInstantNgpTransforms", () => {
  it("reads the top-level intrinsics, distortion and aabb_scale; every frame trains", () => {
    const poses = parseInstantNgpTransforms(fox, "transforms.json");
    expect(poses).toMatchObject({ format: "INSTANT_NGP", aabbScale: 4 });
    expect(poses.frames.map((f) => [f.filePath, f.split])).toEqual([
      ["./images/0001.jpg", "TRAIN"],
      ["./images/0002.jpg", "TRAIN"],
    ]);
    expect(resolveCamera(poses.frames[0]!.lens, 1080, 1920)).toEqual({
      model: "OPENCV",
      fx: 1375.5,
      fy: 1374.2,
      cx: 554.2,
      cy: 965.6,
      k1: 0.0529,
      k2: -0.0771,
      p1: -0.0012,
      p2: 0.0004,
    });
  });

  it("says why a photo of another size than w × h does not fit", () => {
    const [frame] = parseInstantNgpTransforms(fox, "transforms.json").frames;
    expect(resolveCamera(frame!.lens, 540, 960)).toEqual({
      mismatch: "The photo is 540×960 pixels; its camera (w, h) says 1080×1920",
    });
  });

  it("falls back on camera_angle_x / camera_angle_y and a centred principal point", () => {
    const poses = parseInstantNgpTransforms(
      { camera_angle_x: Math.PI / 2, camera_angle_y: Math.PI / 3, frames },
      "t.json",
    );
    const camera = resolveCamera(poses.frames[0]!.lens, 200, 100) as {
      fx: number;
      fy: number;
      cx: number;
      cy: number;
      model: string;
    };
    expect(camera.model).toBe("PINHOLE");
    expect(camera.fx).toBeCloseTo(100, 9);
    expect(camera.fy).toBeCloseTo(50 / Math.tan(Math.PI / 6), 9);
    expect([camera.cx, camera.cy]).toEqual([100, 50]);
  });

  it("refuses missing intrinsics and intrinsics ≤ 0", () => {
    expect(badInputOf(() => parseInstantNgpTransforms({ frames }, "transforms.json"))).toEqual({
      code: "BAD_USER_INPUT",
      message: 'transforms.json has neither "fl_x" nor "camera_angle_x": the intrinsics are missing',
    });
    expect(badInputOf(() => parseInstantNgpTransforms({ ...fox, fl_y: -3 }, "transforms.json")).message).toBe(
      'transforms.json "fl_y" must be a number greater than 0, got -3',
    );
    expect(badInputOf(() => parseInstantNgpTransforms({ ...fox, w: 10.5 }, "transforms.json")).message).toBe(
      'transforms.json "w" must be a whole number of pixels, got 10.5',
    );
  });

  it("refuses a file without frames, or a frame without file_path", () => {
    expect(badInputOf(() => parseInstantNgpTransforms({ fl_x: 1 }, "transforms.json")).message).toBe(
      'transforms.json has no "frames" array',
    );
    expect(
      badInputOf(() =>
        parseInstantNgpTransforms({ fl_x: 1, frames: [{ transform_matrix: ring[0] }] }, "transforms.json"),
      ).message,
    ).toBe('transforms.json frames[0] has no "file_path"');
  });
});

import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { blenderArchiveFiles, renderSyntheticScene } from "../../helpers/synthetic-scene";

describe("the synthetic scene", () => {
  const scene = renderSyntheticScene({ width: 24, height: 20, trainViews: 3, heldOutViews: 2, seed: 4 });

  it("writes NeRF-synthetic transforms and PNGs that another decoder reads back exactly", async () => {
    const archive = blenderArchiveFiles(scene);
    const train = archive["transforms_train.json"] as {
      camera_angle_x: number;
      frames: Array<{ file_path: string; transform_matrix: number[][] }>;
    };
    expect(train.camera_angle_x).toBeCloseTo(0.6911112070083618, 12);
    expect(train.frames.map((frame) => frame.file_path)).toEqual([
      "./train/r_0",
      "./train/r_1",
      "./train/r_2",
    ]);
    expect(train.frames[1]!.transform_matrix.flat()).toEqual(
      Array.from(scene.train[1]!.camera.cameraToWorld),
    );
    expect([...archive.files.keys()].sort()).toEqual(
      ["test/r_0.png", "test/r_1.png", "train/r_0.png", "train/r_1.png", "train/r_2.png"].sort(),
    );
    const { data, info } = await sharp(archive.files.get("test/r_1.png")!)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([24, 20, 3]);
    expect(Buffer.compare(data, Buffer.from(scene.heldOut[1]!.rgb))).toBe(0);
  });

  it("puts the objects in the middle of every view on a white background, with cameras looking at the origin", () => {
    for (const frame of [...scene.train, ...scene.heldOut]) {
      const { width, height, cameraToWorld: m } = frame.camera;
      const pixel = (x: number, y: number) =>
        Array.from(frame.rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));
      expect(pixel(0, 0)).toEqual([255, 255, 255]);
      expect(pixel(width / 2, height / 2)).not.toEqual([255, 255, 255]);
      // The camera's −Z axis points from its position to the origin.
      const eye = [m[3]!, m[7]!, m[11]!];
      const length = Math.hypot(...eye);
      [m[2]!, m[6]!, m[10]!].forEach((back, axis) => expect(back).toBeCloseTo(eye[axis]! / length, 12));
      expect(eye[2]).toBeGreaterThan(0);
    }
  });

  it("knows its geometry: the signed distance is zero on the surfaces and negative inside", () => {
    expect(scene.sdf(0.05, 0, 0.8)).toBeCloseTo(0, 12);
    expect(scene.sdf(0.55, 0, -0.4)).toBeCloseTo(0, 12);
    expect(scene.sdf(0.05, 0, 0.35)).toBeCloseTo(-0.45, 12);
    expect(scene.sdf(0.05, 0, 1)).toBeCloseTo(0.2, 12);
  });
});

import { describe, expect, it } from "vitest";
import { posesFromColmapText } from "../../../src/scenes/poses/colmap-text";
import { resolveCamera } from "../../../src/scenes/poses/pose-types";
import { badInputOf } from "./pose-fixtures";

/**
 * A COLMAP text model of three known poses (what `model_converter --output_type TXT` writes),
 * with the nerfstudio-convention camera-to-world worked out by hand for each: COLMAP's world
 * (x, y, z) becomes (x, z, −y) and the camera's +Z forward becomes −Z.
 */
const camerasTxt = `# Camera list with one line of data per camera:
#   CAMERA_ID, MODEL, WIDTH, HEIGHT, PARAMS[]
# Number of cameras: 1
1 OPENCV 640 480 500 510 320 240 0.01 -0.02 0.001 0.002
`;
const s = Math.SQRT1_2;
const imagesTxt = `# Image list with two lines of data per image:
#   IMAGE_ID, QW, QX, QY, QZ, TX, TY, TZ, CAMERA_ID, NAME
#   POINTS2D[] as (X, Y, POINT3D_ID)
# Number of images: 3, mean observations per image: 1
2 1 0 0 0 -1 -2 -3 1 b.jpg
100.5 200.5 7
3 ${s} 0 ${s} 0 0 0 0 1 c.jpg

1 1 0 0 0 0 0 0 1 a.jpg
10 20 -1
`;

describe("posesFromColmapText", () => {
  const poses = posesFromColmapText(camerasTxt, imagesTxt);

  it("turns world-to-camera OpenCV poses into camera-to-world OpenGL ones as nerfstudio does", () => {
    expect(poses.format).toBe("COLMAP");
    expect(poses.frames.map((f) => f.filePath)).toEqual(["a.jpg", "b.jpg", "c.jpg"]);
    const [a, b, c] = poses.frames.map((f) => f.transform.map((x) => Math.round(x * 1e9) / 1e9 + 0));
    // Identity pose: camera at the origin looking along COLMAP's +Z, which becomes +Y.
    expect(a).toEqual([1, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    // Same rotation, centre −Rᵀt = (1, 2, 3) in COLMAP's world, (1, 3, −2) in nerfstudio's.
    expect(b).toEqual([1, 0, 0, 1, 0, 0, -1, 3, 0, 1, 0, -2, 0, 0, 0, 1]);
    // 90° about Y: the camera looks along COLMAP's −X, still −X after the world change.
    expect(c).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
    const forward = [2, 6, 10].map((i) => -c![i]! + 0);
    expect(forward).toEqual([-1, 0, 0]);
  });

  it("keeps COLMAP's camera as a pinhole camera with OpenCV distortion, sized as COLMAP saw it", () => {
    const { lens } = poses.frames[0]!;
    expect(lens).toMatchObject({ width: 640, height: 480 });
    expect(resolveCamera(lens, 640, 480)).toEqual({
      model: "OPENCV",
      fx: 500,
      fy: 510,
      cx: 320,
      cy: 240,
      k1: 0.01,
      k2: -0.02,
      p1: 0.001,
      p2: 0.002,
    });
  });

  it("reads SIMPLE_RADIAL and refuses camera models it cannot describe", () => {
    const simple = posesFromColmapText("1 SIMPLE_RADIAL 100 80 90 50 40 0.05", "1 1 0 0 0 0 0 0 1 x.png\n\n");
    expect(simple.frames[0]!.lens).toMatchObject({
      model: "OPENCV",
      fx: 90,
      fy: 90,
      cx: 50,
      cy: 40,
      k1: 0.05,
      k2: 0,
    });
    expect(badInputOf(() => posesFromColmapText("1 FOV 100 80 90 90 50 40 0.1", "")).message).toBe(
      "COLMAP camera model FOV is not supported; expected SIMPLE_PINHOLE, PINHOLE, SIMPLE_RADIAL, RADIAL, OPENCV",
    );
  });
});

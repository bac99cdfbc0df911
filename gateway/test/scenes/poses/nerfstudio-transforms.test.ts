import { describe, expect, it } from "vitest";
import { parseNerfstudioTransforms } from "../../../src/scenes/poses/nerfstudio-transforms";
import { resolveCamera } from "../../../src/scenes/poses/pose-types";
import { badInputOf, ringOfCameras } from "./pose-fixtures";

const ring = ringOfCameras(4, 2);
const topLevel = { camera_model: "OPENCV", fl_x: 500, fl_y: 510, cx: 320, cy: 240, w: 640, h: 480, k1: 0.01 };
const frame = (i: number, extra: object = {}) => ({
  file_path: `images/frame_0000${i}.png`,
  transform_matrix: ring[i],
  colmap_im_id: i,
  ...extra,
});
const applied_transform = [
  [1, 0, 0, 0],
  [0, 0, 1, 0],
  [0, -1, 0, 0],
];

describe("parseNerfstudioTransforms", () => {
  it("reads top-level intrinsics and keeps the matrices as written (applied_transform already applied)", () => {
    const poses = parseNerfstudioTransforms(
      { ...topLevel, applied_transform, frames: [frame(0), frame(1)] },
      "transforms.json",
    );
    expect(poses).toMatchObject({ format: "NERFSTUDIO", aabbScale: null, unlisted: [] });
    expect(poses.frames[1]!.transform).toEqual(ring[1]!.flat());
    expect(resolveCamera(poses.frames[0]!.lens, 640, 480)).toEqual({
      model: "OPENCV",
      fx: 500,
      fy: 510,
      cx: 320,
      cy: 240,
      k1: 0.01,
      k2: 0,
      p1: 0,
      p2: 0,
    });
  });

  it("lets each frame carry its own intrinsics, over the top level's", () => {
    const poses = parseNerfstudioTransforms(
      {
        camera_model: "PINHOLE",
        frames: [
          frame(0, { fl_x: 300, fl_y: 301, cx: 160, cy: 120, w: 320, h: 240 }),
          frame(1, {
            fl_x: 600,
            fl_y: 602,
            cx: 320,
            cy: 240,
            w: 640,
            h: 480,
            camera_model: "OPENCV",
            k2: 0.2,
          }),
        ],
      },
      "transforms.json",
    );
    expect(poses.frames.map((f) => [f.lens.model, f.lens.fx, f.lens.fy, f.lens.width, f.lens.k2])).toEqual([
      ["PINHOLE", 300, 301, 320, 0],
      ["OPENCV", 600, 602, 640, 0.2],
    ]);
  });

  it("puts frames in the split their list names; a frame in no list is left out with a reason", () => {
    const poses = parseNerfstudioTransforms(
      {
        ...topLevel,
        train_filenames: ["images/frame_00000.png", "./images/frame_00001.png"],
        val_filenames: ["images/frame_00002.png"],
        test_filenames: [],
        frames: [frame(0), frame(1), frame(2), frame(3)],
      },
      "scene/transforms.json",
    );
    expect(poses.frames.map((f) => f.split)).toEqual(["TRAIN", "TRAIN", "VAL"]);
    expect(poses.unlisted).toEqual([
      {
        path: "images/frame_00003.png",
        reason: "The frame is in none of train_filenames, val_filenames, test_filenames",
      },
    ]);
  });

  it("refuses camera models other than pinhole ones, missing fl_x, and bad applied_transform", () => {
    expect(
      badInputOf(() =>
        parseNerfstudioTransforms(
          { ...topLevel, camera_model: "OPENCV_FISHEYE", frames: [frame(0)] },
          "t.json",
        ),
      ),
    ).toEqual({
      code: "BAD_USER_INPUT",
      message:
        't.json frames[0] "camera_model" "OPENCV_FISHEYE" is not supported; expected OPENCV, PINHOLE, SIMPLE_PINHOLE',
    });
    expect(
      badInputOf(() => parseNerfstudioTransforms({ camera_model: "PINHOLE", frames: [frame(0)] }, "t.json"))
        .message,
    ).toBe('t.json frames[0] has no "fl_x" (top level or per frame): the intrinsics are missing');
    expect(
      badInputOf(() =>
        parseNerfstudioTransforms({ ...topLevel, applied_transform: [[1, 0]], frames: [frame(0)] }, "t.json"),
      ).message,
    ).toBe('t.json "applied_transform" must be a 3×4 or 4×4 matrix of numbers');
  });
});

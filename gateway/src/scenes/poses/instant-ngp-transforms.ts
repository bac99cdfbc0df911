import { badInput } from "../../errors";
import { FrameSplit, SceneFormat } from "../../generated/prisma/enums";
import {
  checkTransform,
  coefficient,
  framesOf,
  pixels,
  positive,
  type Lens,
  type ParsedPoses,
} from "./pose-types";

/**
 * instant-ngp's transforms.json (as colmap2nerf.py writes it): intrinsics at the top level —
 * `fl_x fl_y cx cy w h`, OpenCV distortion `k1 k2 p1 p2`, `aabb_scale` — with
 * `camera_angle_x` / `camera_angle_y` standing in for a missing `fl_x` / `fl_y`. Every frame is
 * a training frame: the format has no splits.
 */
export function parseInstantNgpTransforms(
  transforms: Record<string, unknown>,
  fileName: string,
): ParsedPoses {
  const lens = topLevelLens(transforms, fileName);
  const frames = framesOf(transforms, fileName).map((frame, index) => ({
    filePath: frame.file_path as string,
    split: FrameSplit.TRAIN,
    transform: checkTransform(frame.transform_matrix, `${fileName} frames[${index}]`),
    lens,
  }));
  return {
    format: SceneFormat.INSTANT_NGP,
    frames,
    aabbScale: positive(transforms, "aabb_scale", fileName) ?? null,
  };
}

function topLevelLens(transforms: Record<string, unknown>, fileName: string): Lens {
  const fx = positive(transforms, "fl_x", fileName);
  const angleX = positive(transforms, "camera_angle_x", fileName);
  if (fx === undefined && angleX === undefined) {
    throw badInput(`${fileName} has neither "fl_x" nor "camera_angle_x": the intrinsics are missing`, {
      path: fileName,
    });
  }
  const distortion = {
    k1: coefficient(transforms, "k1", fileName) ?? 0,
    k2: coefficient(transforms, "k2", fileName) ?? 0,
    p1: coefficient(transforms, "p1", fileName) ?? 0,
    p2: coefficient(transforms, "p2", fileName) ?? 0,
  };
  const distorted = Object.values(distortion).some((value) => value !== 0);
  return {
    model: distorted ? "OPENCV" : "PINHOLE",
    fx,
    fy: positive(transforms, "fl_y", fileName),
    cx: positive(transforms, "cx", fileName),
    cy: positive(transforms, "cy", fileName),
    width: pixels(transforms, "w", fileName),
    height: pixels(transforms, "h", fileName),
    angleX,
    angleY: positive(transforms, "camera_angle_y", fileName),
    ...distortion,
  };
}

import { badInput } from "../../errors";
import { FrameSplit, SceneFormat } from "../../generated/prisma/enums";
import { sceneLimits } from "../scene-limits";
import {
  checkTransform,
  framesOf,
  noDistortion,
  positive,
  type ListedFrame,
  type ParsedPoses,
} from "./pose-types";

/** One transforms_<split>.json of a NeRF-synthetic (Blender) scene, parsed to JSON. */
export interface BlenderTransformsFile {
  split: FrameSplit;
  fileName: string;
  transforms: Record<string, unknown>;
}

export const blenderFileNames = {
  [FrameSplit.TRAIN]: "transforms_train.json",
  [FrameSplit.VAL]: "transforms_val.json",
  [FrameSplit.TEST]: "transforms_test.json",
} as const;

/**
 * NeRF-synthetic poses: each split file has `camera_angle_x` (the horizontal field of view in
 * radians; fx = 0.5·w / tan(camera_angle_x / 2), square pixels, principal point at the centre) and
 * frames `{file_path, transform_matrix}`. Frames keep the order train, val, test.
 */
export function parseBlenderTransforms(files: readonly BlenderTransformsFile[]): ParsedPoses {
  const order = [FrameSplit.TRAIN, FrameSplit.VAL, FrameSplit.TEST];
  const sorted = [...files].sort((a, b) => order.indexOf(a.split) - order.indexOf(b.split));
  const frames: ListedFrame[] = [];
  for (const { split, fileName, transforms } of sorted) {
    const angleX = positive(transforms, "camera_angle_x", fileName);
    if (angleX === undefined) {
      throw badInput(`${fileName} has no "camera_angle_x": the intrinsics are missing`, { path: fileName });
    }
    if (angleX >= Math.PI)
      throw badInput(`${fileName} "camera_angle_x" must be below π radians, got ${angleX}`);
    framesOf(transforms, fileName).forEach((frame, index) => {
      frames.push({
        filePath: frame.file_path as string,
        split,
        transform: checkTransform(frame.transform_matrix, `${fileName} frames[${index}]`),
        lens: { model: "PINHOLE", angleX, ...noDistortion },
      });
    });
  }
  if (frames.length > sceneLimits.frames) {
    throw badInput(`The transforms list ${frames.length} frames; at most ${sceneLimits.frames} are accepted`);
  }
  return { format: SceneFormat.BLENDER, frames, aabbScale: null };
}

import { badInput } from "../../errors";
import { FrameSplit, SceneFormat } from "../../generated/prisma/enums";
import {
  checkTransform,
  coefficient,
  framesOf,
  pixels,
  positive,
  type Lens,
  type ListedFrame,
  type ParsedPoses,
} from "./pose-types";

/** The camera models a pinhole camera with OpenCV distortion describes; fisheye and 360° are not. */
export const nerfstudioCameraModels = ["OPENCV", "PINHOLE", "SIMPLE_PINHOLE"] as const;

const splitLists = [
  ["train_filenames", FrameSplit.TRAIN],
  ["val_filenames", FrameSplit.VAL],
  ["test_filenames", FrameSplit.TEST],
] as const;

/** What the parser left out before any photo was read (a frame in none of the split lists). */
export interface NerfstudioPoses extends ParsedPoses {
  unlisted: Array<{ path: string; reason: string }>;
}

/**
 * nerfstudio's transforms.json (as ns-process-data writes it): `fl_x fl_y cx cy w h`, distortion
 * and `camera_model` at the top level or on each frame (a frame's own values win), optional
 * `train_filenames` / `val_filenames` / `test_filenames`. `applied_transform` records what
 * ns-process-data already applied to the poses (COLMAP's world to nerfstudio's), so the
 * matrices are used as they are; it is only checked for shape.
 */
export function parseNerfstudioTransforms(
  transforms: Record<string, unknown>,
  fileName: string,
): NerfstudioPoses {
  checkAppliedTransform(transforms.applied_transform, fileName);
  const splits = splitsByPath(transforms, fileName);
  const frames: ListedFrame[] = [];
  const unlisted: NerfstudioPoses["unlisted"] = [];
  framesOf(transforms, fileName).forEach((frame, index) => {
    const where = `${fileName} frames[${index}]`;
    const filePath = frame.file_path as string;
    const lens = frameLens({ ...transforms, ...definedOnly(frame) }, where);
    const transform = checkTransform(frame.transform_matrix, where);
    const split = splits ? splits.get(normalise(filePath)) : FrameSplit.TRAIN;
    if (split === undefined) {
      unlisted.push({
        path: filePath,
        reason: "The frame is in none of train_filenames, val_filenames, test_filenames",
      });
      return;
    }
    frames.push({ filePath, split, transform, lens });
  });
  return { format: SceneFormat.NERFSTUDIO, frames, aabbScale: null, unlisted };
}

function frameLens(values: Record<string, unknown>, where: string): Lens {
  const model = values.camera_model ?? "OPENCV";
  if (typeof model !== "string" || !(nerfstudioCameraModels as readonly string[]).includes(model)) {
    throw badInput(
      `${where} "camera_model" ${JSON.stringify(model)} is not supported; expected ${nerfstudioCameraModels.join(", ")}`,
    );
  }
  const fx = positive(values, "fl_x", where);
  if (fx === undefined)
    throw badInput(`${where} has no "fl_x" (top level or per frame): the intrinsics are missing`);
  return {
    model,
    fx,
    fy: positive(values, "fl_y", where) ?? fx,
    cx: positive(values, "cx", where),
    cy: positive(values, "cy", where),
    width: pixels(values, "w", where),
    height: pixels(values, "h", where),
    k1: coefficient(values, "k1", where) ?? 0,
    k2: coefficient(values, "k2", where) ?? 0,
    p1: coefficient(values, "p1", where) ?? 0,
    p2: coefficient(values, "p2", where) ?? 0,
  };
}

/** Without any split list every frame trains; with one, a frame goes where a list names it. */
function splitsByPath(transforms: Record<string, unknown>, fileName: string): Map<string, FrameSplit> | null {
  if (!splitLists.some(([key]) => transforms[key] !== undefined)) return null;
  const splits = new Map<string, FrameSplit>();
  for (const [key, split] of splitLists) {
    const list = transforms[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) {
      throw badInput(`${fileName} "${key}" must be a list of file paths`);
    }
    for (const path of list as string[]) if (!splits.has(normalise(path))) splits.set(normalise(path), split);
  }
  return splits;
}

function checkAppliedTransform(value: unknown, fileName: string): void {
  if (value === undefined) return;
  const rows = Array.isArray(value) ? value : [];
  const ok =
    (rows.length === 3 || rows.length === 4) &&
    rows.every(
      (row) =>
        Array.isArray(row) &&
        row.length === 4 &&
        row.every((x) => typeof x === "number" && Number.isFinite(x)),
    );
  if (!ok) throw badInput(`${fileName} "applied_transform" must be a 3×4 or 4×4 matrix of numbers`);
}

const definedOnly = (object: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== null));

const normalise = (path: string) => path.replace(/\\/g, "/").replace(/^(\.\/)+/, "");

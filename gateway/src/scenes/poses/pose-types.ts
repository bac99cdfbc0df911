import { badInput } from "../../errors";
import type { FrameSplit, SceneFormat } from "../../generated/prisma/enums";
import { sceneLimits } from "../scene-limits";

/**
 * A frame's intrinsics as its transforms gave them. Some depend on the photo's size (Blender's
 * camera_angle_x, a missing cx), so they become a Camera only once the photo is read.
 */
export interface Lens {
  model: string;
  fx?: number;
  fy?: number;
  cx?: number;
  cy?: number;
  /** The photo size the intrinsics are for, when the transforms say. */
  width?: number;
  height?: number;
  angleX?: number;
  angleY?: number;
  k1: number;
  k2: number;
  p1: number;
  p2: number;
}

/** One frame a transforms file lists; its photo may still turn out missing or unusable. */
export interface ListedFrame {
  /** As the transforms wrote it. */
  filePath: string;
  split: FrameSplit;
  /** Camera-to-world, OpenGL, 16 numbers row by row; checked rigid. */
  transform: number[];
  lens: Lens;
}

export interface ParsedPoses {
  format: SceneFormat;
  frames: ListedFrame[];
  aabbScale: number | null;
}

/** Pinhole intrinsics in pixels plus OpenCV distortion: what a SceneFrame row stores. */
export interface Camera {
  model: string;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  k1: number;
  k2: number;
  p1: number;
  p2: number;
}

export const noDistortion = { k1: 0, k2: 0, p1: 0, p2: 0 } as const;

/**
 * The camera of a photo of `width`×`height`, or the reason the photo does not fit its lens (a
 * photo of another size than the transforms declare for it).
 */
export function resolveCamera(lens: Lens, width: number, height: number): Camera | { mismatch: string } {
  if (
    (lens.width !== undefined && lens.width !== width) ||
    (lens.height !== undefined && lens.height !== height)
  ) {
    return {
      mismatch: `The photo is ${width}×${height} pixels; its camera (w, h) says ${lens.width ?? width}×${lens.height ?? height}`,
    };
  }
  // NeRF-synthetic: fx = 0.5·w / tan(camera_angle_x / 2); square pixels unless an angle_y is given.
  const fx = lens.fx ?? (0.5 * width) / Math.tan(lens.angleX! / 2);
  const fy = lens.fy ?? (lens.angleY !== undefined ? (0.5 * height) / Math.tan(lens.angleY / 2) : fx);
  return {
    model: lens.model,
    fx,
    fy,
    cx: lens.cx ?? width / 2,
    cy: lens.cy ?? height / 2,
    k1: lens.k1,
    k2: lens.k2,
    p1: lens.p1,
    p2: lens.p2,
  };
}

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The file's JSON object, or BAD_USER_INPUT naming the file. */
export function parseTransformsJson(bytes: Buffer, fileName: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw badInput(`${fileName} is not JSON: ${(error as Error).message}`, { path: fileName });
  }
  if (!isObject(value))
    throw badInput(`${fileName} must hold a JSON object with "frames"`, { path: fileName });
  return value;
}

/** An optional intrinsic: absent, or a finite number > 0 (0 and negatives are refused). */
export function positive(object: Json, key: string, where: string): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw badInput(`${where} "${key}" must be a number greater than 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** An optional distortion coefficient (any finite number; 0 when absent). */
export function coefficient(object: Json, key: string, where: string): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw badInput(`${where} "${key}" must be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** An optional image size in pixels. */
export function pixels(object: Json, key: string, where: string): number | undefined {
  const value = positive(object, key, where);
  if (value !== undefined && !Number.isInteger(value)) {
    throw badInput(`${where} "${key}" must be a whole number of pixels, got ${value}`);
  }
  return value;
}

/** The frames array of a transforms file, bounded. */
export function framesOf(transforms: Json, fileName: string): Json[] {
  const frames = transforms.frames;
  if (!Array.isArray(frames)) throw badInput(`${fileName} has no "frames" array`, { path: fileName });
  if (frames.length > sceneLimits.frames) {
    throw badInput(`${fileName} lists ${frames.length} frames; at most ${sceneLimits.frames} are accepted`);
  }
  return frames.map((frame, index) => {
    if (!isObject(frame)) throw badInput(`${fileName} frames[${index}] is not an object`);
    if (typeof frame.file_path !== "string" || frame.file_path.trim() === "") {
      throw badInput(`${fileName} frames[${index}] has no "file_path"`);
    }
    return frame;
  });
}

/**
 * A camera-to-world matrix as 16 numbers row by row, or BAD_USER_INPUT: it must be 4×4 with a
 * last row of 0 0 0 1, and its rotation orthonormal (RᵀR = I within 1e-3) and proper (det > 0),
 * since a radiance field casts rays through it and a scaled or sheared pose bends them.
 */
export function checkTransform(value: unknown, where: string): number[] {
  const rows = Array.isArray(value) ? value : [];
  const flat = rows.flatMap((row) => (Array.isArray(row) && row.length === 4 ? row : [Number.NaN]));
  if (
    rows.length !== 4 ||
    flat.length !== 16 ||
    !flat.every((x) => typeof x === "number" && Number.isFinite(x))
  ) {
    throw badInput(`${where} "transform_matrix" must be a 4×4 matrix of numbers`);
  }
  const m = flat as number[];
  const tolerance = sceneLimits.rigidTolerance;
  const lastRow = [m[12]!, m[13]!, m[14]!, m[15]! - 1];
  if (lastRow.some((x) => Math.abs(x) > tolerance)) {
    throw badInput(`${where} "transform_matrix" is not rigid: its last row must be 0 0 0 1`);
  }
  const r = (row: number, column: number) => m[row * 4 + column]!;
  let worst = 0;
  for (let i = 0; i < 3; i += 1) {
    for (let j = 0; j < 3; j += 1) {
      const dot = r(0, i) * r(0, j) + r(1, i) * r(1, j) + r(2, i) * r(2, j);
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
  }
  const det =
    r(0, 0) * (r(1, 1) * r(2, 2) - r(1, 2) * r(2, 1)) -
    r(0, 1) * (r(1, 0) * r(2, 2) - r(1, 2) * r(2, 0)) +
    r(0, 2) * (r(1, 0) * r(2, 1) - r(1, 1) * r(2, 0));
  if (worst > tolerance || det <= 0) {
    throw badInput(
      `${where} "transform_matrix" is not rigid: its rotation must be orthonormal within ${tolerance} ` +
        `(RᵀR differs from I by ${worst.toPrecision(3)}, det ${det.toPrecision(3)})`,
    );
  }
  return [...m.slice(0, 12), 0, 0, 0, 1];
}

import { failedPrecondition } from "../runtime/errors";
import type { ImageOutput } from "./run-images";

/** A model's depth output for one image: H × W values, row-major. */
export interface DepthMap {
  width: number;
  height: number;
  values: Float32Array;
}

/** Reads [H, W], [1, H, W] or any shape whose dimensions before the last two are 1. */
export function depthMapOf(output: ImageOutput): DepthMap {
  const { shape } = output;
  const height = shape[shape.length - 2];
  const width = shape[shape.length - 1];
  const extra = shape.slice(0, -2);
  if (height === undefined || width === undefined || extra.some((dim) => dim !== 1)) {
    throw failedPrecondition(
      `A depth model must answer each image with [height, width] or [1, height, width]; it answered [${shape.join(", ")}]`,
    );
  }
  return { width, height, values: Float32Array.from(output.values) };
}

/** Smallest and largest finite value; both 0 for a map without one. */
export function depthRange(values: Float32Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/**
 * Maps [min, max] linearly onto 0…65535, rounding to the nearest level. A flat map (min = max)
 * and values that are not finite become 0: there is no depth difference to show.
 */
export function depthLevels(values: Float32Array, range: { min: number; max: number }): Uint16Array {
  const levels = new Uint16Array(values.length);
  const span = range.max - range.min;
  if (!(span > 0)) return levels;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (Number.isFinite(value)) levels[index] = Math.round(((value - range.min) / span) * 65535);
  }
  return levels;
}

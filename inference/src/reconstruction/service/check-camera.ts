import type { Camera__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/Camera";
import { invalidArgument } from "../../runtime/errors";
import type { PinholeCamera } from "../contracts";
import { reconstructionLimits as limits } from "./reconstruction-limits";

/**
 * A FrameInfo's camera as the optimiser takes it, or INVALID_ARGUMENT naming `path` and what is
 * wrong: a size out of bounds, intrinsics that are not positive, a transform that is not a rigid
 * camera-to-world matrix (rotation orthonormal with determinant 1, last row 0 0 0 1).
 */
export function checkCamera(camera: Camera__Output | null, path: string): PinholeCamera {
  if (!camera) throw invalidArgument(`${path} is required`);
  for (const side of ["width", "height"] as const) {
    const value = camera[side];
    if (!(value >= limits.minFrameSize && value <= limits.frameSize)) {
      throw invalidArgument(
        `${path}.${side} must be between ${limits.minFrameSize} and ${limits.frameSize}, got ${value}`,
      );
    }
  }
  for (const name of ["fx", "fy"] as const) {
    if (!(camera[name] > 0) || !Number.isFinite(camera[name])) {
      throw invalidArgument(`${path}.${name} must be a focal length above 0 pixels, got ${camera[name]}`);
    }
  }
  for (const name of ["cx", "cy", "k1", "k2", "p1", "p2"] as const) {
    if (!Number.isFinite(camera[name]))
      throw invalidArgument(`${path}.${name} must be finite, got ${camera[name]}`);
  }
  return {
    width: camera.width,
    height: camera.height,
    fx: camera.fx,
    fy: camera.fy,
    cx: camera.cx,
    cy: camera.cy,
    k1: camera.k1,
    k2: camera.k2,
    p1: camera.p1,
    p2: camera.p2,
    cameraToWorld: checkRigid(camera.transform, `${path}.transform`),
  };
}

function checkRigid(transform: number[], path: string): Float64Array {
  if (transform.length !== 16) {
    throw invalidArgument(
      `${path} must be a 4×4 matrix (16 numbers, row by row), got ${transform.length} numbers`,
    );
  }
  if (!transform.every(Number.isFinite)) throw invalidArgument(`${path} has a number that is not finite`);
  const m = (row: number, column: number) => transform[row * 4 + column]!;
  const tolerance = limits.rigidTolerance;
  const lastRow = [m(3, 0), m(3, 1), m(3, 2), m(3, 3)];
  if (lastRow.some((value, index) => Math.abs(value - (index === 3 ? 1 : 0)) > tolerance)) {
    throw invalidArgument(`${path} must end with the row 0 0 0 1, got ${lastRow.join(" ")}`);
  }
  for (let a = 0; a < 3; a++) {
    for (let b = a; b < 3; b++) {
      const dot = m(0, a) * m(0, b) + m(1, a) * m(1, b) + m(2, a) * m(2, b);
      const expected = a === b ? 1 : 0;
      if (Math.abs(dot - expected) > tolerance) {
        throw invalidArgument(
          `${path} is not rigid: its rotation's columns ${a} and ${b} have dot product ${round(dot)}, ` +
            `expected ${expected} within ${tolerance} (scale or shear in the pose?)`,
        );
      }
    }
  }
  const determinant =
    m(0, 0) * (m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) -
    m(0, 1) * (m(1, 0) * m(2, 2) - m(1, 2) * m(2, 0)) +
    m(0, 2) * (m(1, 0) * m(2, 1) - m(1, 1) * m(2, 0));
  if (Math.abs(determinant - 1) > tolerance) {
    throw invalidArgument(
      `${path} is not rigid: its rotation has determinant ${round(determinant)}, expected 1 (a mirror?)`,
    );
  }
  return Float64Array.from(transform);
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

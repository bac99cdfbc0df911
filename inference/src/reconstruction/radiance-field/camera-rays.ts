import type { PinholeCamera, Vec3 } from "../contracts";

/**
 * Cameras packed into a Float64Array for the worker threads, and the ray through a pixel's
 * centre: pixel (u, v) covers [u, u+1) × [v, v+1), v down; OpenCV distortion is removed by
 * fixed-point iteration; the camera looks down −Z with +Y up (OpenGL), directions are unit length.
 */
export const CAMERA_STRIDE = 26;
const UNDISTORT_ITERATIONS = 10;

export function packCameras(cameras: PinholeCamera[]): Float64Array {
  const packed = new Float64Array(new SharedArrayBuffer(Math.max(1, cameras.length) * CAMERA_STRIDE * 8));
  cameras.forEach((camera, index) => packCamera(camera, packed, index * CAMERA_STRIDE));
  return packed;
}

export function packCamera(camera: PinholeCamera, into: Float64Array, at: number): void {
  const { width, height, fx, fy, cx, cy, k1, k2, p1, p2 } = camera;
  into.set([width, height, fx, fy, cx, cy, k1, k2, p1, p2], at);
  into.set(camera.cameraToWorld.subarray(0, 16), at + 10);
}

/** Writes the ray of pixel (u, v) of the camera packed at `at`. */
export function pixelRay(
  cameras: Float64Array,
  at: number,
  u: number,
  v: number,
  origin: Float64Array,
  direction: Float64Array,
): void {
  const fx = cameras[at + 2]!;
  const fy = cameras[at + 3]!;
  let x = (u + 0.5 - cameras[at + 4]!) / fx;
  let y = (v + 0.5 - cameras[at + 5]!) / fy;
  const k1 = cameras[at + 6]!;
  const k2 = cameras[at + 7]!;
  const p1 = cameras[at + 8]!;
  const p2 = cameras[at + 9]!;
  if (k1 !== 0 || k2 !== 0 || p1 !== 0 || p2 !== 0) {
    const xd = x;
    const yd = y;
    for (let iteration = 0; iteration < UNDISTORT_ITERATIONS; iteration++) {
      const r2 = x * x + y * y;
      const radial = 1 + k1 * r2 + k2 * r2 * r2;
      const tangentialX = 2 * p1 * x * y + p2 * (r2 + 2 * x * x);
      const tangentialY = p1 * (r2 + 2 * y * y) + 2 * p2 * x * y;
      x = (xd - tangentialX) / radial;
      y = (yd - tangentialY) / radial;
    }
  }
  const m = at + 10;
  const wx = cameras[m]! * x - cameras[m + 1]! * y - cameras[m + 2]!;
  const wy = cameras[m + 4]! * x - cameras[m + 5]! * y - cameras[m + 6]!;
  const wz = cameras[m + 8]! * x - cameras[m + 9]! * y - cameras[m + 10]!;
  const length = Math.sqrt(wx * wx + wy * wy + wz * wz);
  direction[0] = wx / length;
  direction[1] = wy / length;
  direction[2] = wz / length;
  origin[0] = cameras[m + 3]!;
  origin[1] = cameras[m + 7]!;
  origin[2] = cameras[m + 11]!;
}

/** Where the ray is inside the box: [enter, exit] with enter ≥ 0, or exit ≤ enter when it misses. */
export function intersectBounds(
  origin: Float64Array,
  direction: Float64Array,
  boundsMin: Vec3,
  boundsMax: Vec3,
  out: Float64Array,
): void {
  let enter = 0;
  let exit = Infinity;
  for (let axis = 0; axis < 3; axis++) {
    const inverse = 1 / direction[axis]!;
    let near = (boundsMin[axis]! - origin[axis]!) * inverse;
    let far = (boundsMax[axis]! - origin[axis]!) * inverse;
    if (near > far) [near, far] = [far, near];
    // A direction parallel to the slab gives ±Infinity or NaN (0·∞) when the origin lies on it.
    if (Number.isNaN(near) || Number.isNaN(far)) continue;
    if (near > enter) enter = near;
    if (far < exit) exit = far;
  }
  out[0] = enter;
  out[1] = exit;
}

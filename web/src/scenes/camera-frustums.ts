import type { Bounds } from "../viewer/bounds";

/** A frame's pinhole camera as the API gives it: `transform` is camera-to-world, 16 numbers row by row. */
export interface FrameCamera {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  transform: readonly number[];
}

/** The camera's position in the world: the translation column of camera-to-world. */
export function cameraCentre(camera: FrameCamera): [number, number, number] {
  const m = camera.transform;
  return [m[3] ?? 0, m[7] ?? 0, m[11] ?? 0];
}

/**
 * Line segments (pairs of points, xyz each) that draw the camera as a pyramid: apex at its
 * centre, base at the image's corners `depth` in front. OpenGL convention: the camera looks
 * down −Z and image rows go down while +Y goes up. A short tick above the base marks "up", so a
 * camera rolled upside down is visible.
 */
export function frustumSegments(camera: FrameCamera, depth: number): number[] {
  const { width, height, fx, fy, cx, cy } = camera;
  const toWorld = (u: number, v: number): [number, number, number] =>
    transformPoint(camera.transform, [((u - cx) / fx) * depth, (-(v - cy) / fy) * depth, -depth]);
  const apex = cameraCentre(camera);
  const corners = [toWorld(0, 0), toWorld(width, 0), toWorld(width, height), toWorld(0, height)];
  const points: Array<[number, number, number]> = [];
  for (const corner of corners) points.push(apex, corner);
  for (let index = 0; index < 4; index++) points.push(corners[index]!, corners[(index + 1) % 4]!);
  const topMiddle = toWorld(width / 2, 0);
  const tick = toWorld(width / 2, -height * 0.15);
  points.push(topMiddle, tick);
  return points.flat();
}

function transformPoint(m: readonly number[], [x, y, z]: [number, number, number]): [number, number, number] {
  const at = (index: number) => m[index] ?? 0;
  return [
    at(0) * x + at(1) * y + at(2) * z + at(3),
    at(4) * x + at(5) * y + at(6) * z + at(7),
    at(8) * x + at(9) * y + at(10) * z + at(11),
  ];
}

/**
 * How deep to draw each pyramid: a tenth of the distance from the cameras to the middle of the
 * bounds, so a rig of any size reads as cameras around a box rather than a knot of lines.
 */
export function frustumDepth(cameras: readonly FrameCamera[], bounds: Bounds): number {
  if (cameras.length === 0) return 1;
  const middle = bounds.min.map((low, axis) => (low + bounds.max[axis]!) / 2);
  const distances = cameras.map((camera) => {
    const [x, y, z] = cameraCentre(camera);
    return Math.hypot(x - middle[0]!, y - middle[1]!, z - middle[2]!);
  });
  const mean = distances.reduce((sum, distance) => sum + distance, 0) / distances.length;
  return mean > 0 ? mean / 10 : 0.1;
}

/** The box that holds the bounds and every camera, for framing the whole rig. */
export function rigBounds(cameras: readonly FrameCamera[], bounds: Bounds): Bounds {
  const min = [...bounds.min] as [number, number, number];
  const max = [...bounds.max] as [number, number, number];
  for (const camera of cameras) {
    cameraCentre(camera).forEach((value, axis) => {
      min[axis] = Math.min(min[axis]!, value);
      max[axis] = Math.max(max[axis]!, value);
    });
  }
  return { min, max };
}

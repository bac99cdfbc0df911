import type { PinholeCamera, Vec3 } from "../contracts.js";
import { invalidArgument } from "../../runtime/errors.js";

export interface OrbitOptions {
  boundsMin: Vec3;
  boundsMax: Vec3;
  /** The scene's up direction; the turntable turns about it. */
  up: Vec3;
  /** Frames in the turn (1 to 360). */
  count: number;
  width: number;
  height: number;
  /** Horizontal field of view in degrees (0 < fov < 180). */
  fovDegrees: number;
  /** Height of the cameras above the bounds' centre, as an angle (−89 to 89 degrees). */
  elevationDegrees: number;
}

/** Room around the bounds' sphere in the frame, so silhouettes do not touch the image's edge. */
const MARGIN = 1.1;

/**
 * `count` cameras evenly spaced on a circle about the up axis through the bounds' centre, all
 * looking at the centre, far enough that the bounds' enclosing sphere fits the narrower field of
 * view. Frame 0 sits on the side of the first axis perpendicular to up; the turn goes
 * counter-clockwise seen from above. Camera-to-world in the OpenGL convention, no distortion.
 */
export function orbitCameras(options: OrbitOptions): PinholeCamera[] {
  const { boundsMin, boundsMax, count, width, height, fovDegrees, elevationDegrees } = options;
  if (!Number.isInteger(count) || count < 1 || count > 360)
    throw invalidArgument(`count must be 1 to 360; got ${count}`);
  if (!(Number.isInteger(width) && Number.isInteger(height) && width >= 1 && height >= 1)) {
    throw invalidArgument(`an image needs a positive integer size; got ${width}×${height}`);
  }
  if (!(fovDegrees > 0 && fovDegrees < 180))
    throw invalidArgument(`fovDegrees must be in (0, 180); got ${fovDegrees}`);
  if (!(Math.abs(elevationDegrees) <= 89))
    throw invalidArgument(`elevationDegrees must be −89 to 89; got ${elevationDegrees}`);
  const up = normalise(options.up);
  const centre = boundsMin.map((min, axis) => (min + boundsMax[axis]!) / 2) as Vec3;
  const radius = Math.hypot(...boundsMin.map((min, axis) => boundsMax[axis]! - min)) / 2;
  const tanHalfX = Math.tan((fovDegrees * Math.PI) / 360);
  const tanHalfNarrow = Math.min(tanHalfX, (tanHalfX * height) / width);
  const distance = (MARGIN * radius) / Math.sin(Math.atan(tanHalfNarrow));
  const fx = width / 2 / tanHalfX;
  // Two directions perpendicular to up span the circle.
  const seed: Vec3 = Math.abs(up[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const first = normalise(cross(cross(up, seed), up));
  const second = cross(up, first);
  const elevation = (elevationDegrees * Math.PI) / 180;

  return Array.from({ length: count }, (_, frame) => {
    const angle = (2 * Math.PI * frame) / count;
    const direction = [0, 1, 2].map(
      (i) =>
        Math.cos(elevation) * (Math.cos(angle) * first[i]! + Math.sin(angle) * second[i]!) +
        Math.sin(elevation) * up[i]!,
    ) as Vec3;
    const position = centre.map((c, i) => c + distance * direction[i]!) as Vec3;
    const back = direction; // the camera's +Z points away from what it looks at
    const right = normalise(cross(up, back));
    const cameraUp = cross(back, right);
    const cameraToWorld = new Float64Array(16);
    for (let row = 0; row < 3; row++) {
      cameraToWorld.set([right[row]!, cameraUp[row]!, back[row]!, position[row]!], 4 * row);
    }
    cameraToWorld[15] = 1;
    return {
      width,
      height,
      fx,
      fy: fx,
      cx: width / 2,
      cy: height / 2,
      k1: 0,
      k2: 0,
      p1: 0,
      p2: 0,
      cameraToWorld,
    };
  });
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function normalise(v: Vec3): Vec3 {
  const length = Math.hypot(...v);
  if (!(length > 0) || !Number.isFinite(length))
    throw invalidArgument("a direction must be finite and non-zero");
  return v.map((c) => c / length) as Vec3;
}

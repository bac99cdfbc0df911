export type Vec3 = readonly [number, number, number];

/** An axis-aligned box in world units (the scene's; written as metres). */
export interface Bounds {
  min: Vec3;
  max: Vec3;
}

/** The box's bounds as the API gives them (`[Float!]!`), or null when they are not a 3-vector pair. */
export function boundsOf(
  value: { min: readonly number[]; max: readonly number[] } | null | undefined,
): Bounds | null {
  if (!value || value.min.length !== 3 || value.max.length !== 3) return null;
  const [x0, y0, z0] = value.min as [number, number, number];
  const [x1, y1, z1] = value.max as [number, number, number];
  if (![x0, y0, z0, x1, y1, z1].every(Number.isFinite)) return null;
  return { min: [x0, y0, z0], max: [x1, y1, z1] };
}

export function boundsCentre({ min, max }: Bounds): [number, number, number] {
  return [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
}

/** Half the diagonal: the radius of the sphere around the box. Never 0, so a flat or empty box still frames. */
export function boundsRadius({ min, max }: Bounds): number {
  const radius = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]) / 2;
  return radius > 0 ? radius : 1;
}

/** The smallest box around both. */
export function unionBounds(a: Bounds, b: Bounds): Bounds {
  return {
    min: [Math.min(a.min[0], b.min[0]), Math.min(a.min[1], b.min[1]), Math.min(a.min[2], b.min[2])],
    max: [Math.max(a.max[0], b.max[0]), Math.max(a.max[1], b.max[1]), Math.max(a.max[2], b.max[2])],
  };
}

export interface CameraPlacement {
  position: [number, number, number];
  target: [number, number, number];
  near: number;
  far: number;
}

/** Seen from the front right and a little above, as product shots and glTF viewers open a model. */
const VIEW_DIRECTION: Vec3 = normalise([1, 0.7, 1.4]);

/**
 * Where a perspective camera with vertical field of view `fovDegrees` and `aspect` (width /
 * height) stands to see the whole box: the bounding sphere fits the narrower of the two angles,
 * with `margin` to spare. Near and far hug the sphere so depth precision goes to the model.
 */
export function fitCamera(bounds: Bounds, fovDegrees: number, aspect: number, margin = 1.1): CameraPlacement {
  const target = boundsCentre(bounds);
  const radius = boundsRadius(bounds) * margin;
  const vertical = (fovDegrees * Math.PI) / 180;
  const horizontal = 2 * Math.atan(Math.tan(vertical / 2) * Math.max(aspect, 1e-3));
  const distance = radius / Math.sin(Math.min(vertical, horizontal) / 2);
  return {
    target,
    position: [
      target[0] + VIEW_DIRECTION[0] * distance,
      target[1] + VIEW_DIRECTION[1] * distance,
      target[2] + VIEW_DIRECTION[2] * distance,
    ],
    near: Math.max(distance - radius * 2, distance / 1000),
    far: distance + radius * 2,
  };
}

function normalise([x, y, z]: Vec3): Vec3 {
  const length = Math.hypot(x, y, z);
  return [x / length, y / length, z / length];
}

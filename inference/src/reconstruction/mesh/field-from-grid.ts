import type { Vec3, VoxelField } from "../contracts.js";
import { invalidArgument } from "../../runtime/errors.js";

/** Largest grid a backend may answer per axis (256³ float32 = 64 MiB, as a radiance field's). */
export const MAX_BACKEND_GRID = 256;

/**
 * The surface of a density grid: where a ray crossing one voxel would be stopped with this
 * probability. Stated on per-voxel alpha rather than on raw density, so the same level gives the
 * same surface at every grid size (the radiance field's meshes use the same idea).
 */
export const DENSITY_SURFACE_ALPHA = 0.5;

/**
 * A backend's grid answer as a field to mesh.
 *
 * Axis order: the tensor [N, N, N] is C-order [x][y][z] — value (x, y, z) at (x·N + y)·N + z,
 * i.e. z fastest. That is what numpy writes for an array indexed grid[x, y, z] and the order of
 * Shap-E's volume query points, so a backend answers its grid as is; it is reordered here into
 * the x-fastest layout VoxelField uses. Grid point (x, y, z) sits at
 * boundsMin + (x, y, z)·(boundsMax − boundsMin)/(N − 1).
 *
 * - "density": volume density σ in inverse world units (as in NeRF); negative values count as 0.
 *   It becomes per-voxel alpha 1 − exp(−σ·h), h the mean grid spacing, meshed at
 *   DENSITY_SURFACE_ALPHA.
 * - "sdf": signed distance, negative inside (the DeepSDF / NeuS convention), meshed at 0.
 *   Shap-E's STF field is positive inside: its backend answers the negated field.
 */
export function fieldFromGrid(
  values: Float32Array,
  n: number,
  kind: "density" | "sdf",
  boundsMin: Vec3,
  boundsMax: Vec3,
): VoxelField {
  if (!Number.isInteger(n) || n < 2 || n > MAX_BACKEND_GRID) {
    throw invalidArgument(`a grid has 2 to ${MAX_BACKEND_GRID} points per axis; got ${n}`);
  }
  if (values.length !== n ** 3)
    throw invalidArgument(`a grid of ${n}³ needs ${n ** 3} values; got ${values.length}`);
  if (
    !boundsMin.every(
      (min, axis) => Number.isFinite(min) && Number.isFinite(boundsMax[axis]) && boundsMax[axis]! > min,
    )
  ) {
    throw invalidArgument("a grid's bounds must be finite with max above min on every axis");
  }
  const spacing = boundsMin.reduce((sum, min, axis) => sum + (boundsMax[axis]! - min) / (n - 1), 0) / 3;
  const field = new Float32Array(values.length);
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      for (let z = 0; z < n; z++) {
        const value = values[(x * n + y) * n + z]!;
        if (!Number.isFinite(value))
          throw invalidArgument(`the grid holds a value that is not a finite number`);
        field[x + n * (y + n * z)] = kind === "sdf" ? value : 1 - Math.exp(-Math.max(0, value) * spacing);
      }
    }
  }
  return {
    dims: [n, n, n],
    boundsMin: [...boundsMin],
    boundsMax: [...boundsMax],
    values: field,
    level: kind === "sdf" ? 0 : DENSITY_SURFACE_ALPHA,
    insideAbove: kind === "density",
  };
}

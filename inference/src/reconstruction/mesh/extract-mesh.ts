import type { TriangleMesh, VoxelField } from "../contracts.js";
import { invalidArgument } from "../../runtime/errors.js";
import { marchingCubes } from "./marching-cubes.js";
import { largestComponent } from "./mesh-topology.js";
import { simplifyMesh } from "./simplify.js";

export interface ExtractMeshOptions {
  /** Keep only the connected component with the most triangles (default true). */
  keepLargestComponent?: boolean;
  /** Simplify to at most this many triangles (a positive integer); unset: no simplification. */
  targetTriangles?: number;
}

/**
 * The surface of `field` at its level: marching cubes with welded vertices, the largest connected
 * component kept, then simplified. Counter-clockwise seen from outside, in the bounds' world units.
 * For a radiance field the values are per-voxel alpha, so one level works at every resolution.
 */
export async function extractMesh(
  field: VoxelField,
  options: ExtractMeshOptions = {},
): Promise<TriangleMesh> {
  checkField(field);
  const { keepLargestComponent = true, targetTriangles } = options;
  if (targetTriangles !== undefined && !(Number.isInteger(targetTriangles) && targetTriangles >= 1)) {
    throw invalidArgument(`targetTriangles must be a positive integer; got ${targetTriangles}`);
  }
  let mesh = marchingCubes(field);
  if (keepLargestComponent) mesh = largestComponent(mesh);
  if (targetTriangles !== undefined) mesh = await simplifyMesh(mesh, targetTriangles);
  return mesh;
}

function checkField(field: VoxelField): void {
  const { dims, values, rgb, boundsMin, boundsMax } = field;
  if (!dims.every((n) => Number.isInteger(n) && n >= 2)) {
    throw invalidArgument(`a voxel field needs at least 2 grid points per axis; got ${dims.join("×")}`);
  }
  const points = dims[0] * dims[1] * dims[2];
  if (values.length !== points) {
    throw invalidArgument(`a ${dims.join("×")} field needs ${points} values; got ${values.length}`);
  }
  if (rgb && rgb.length !== 3 * points) {
    throw invalidArgument(`a ${dims.join("×")} field needs ${3 * points} colour values; got ${rgb.length}`);
  }
  if (
    !boundsMin.every(
      (min, axis) => Number.isFinite(min) && boundsMax[axis]! > min && Number.isFinite(boundsMax[axis]),
    )
  ) {
    throw invalidArgument("a voxel field's bounds must be finite with max above min on every axis");
  }
  if (!Number.isFinite(field.level))
    throw invalidArgument(`a voxel field's level must be finite; got ${field.level}`);
}

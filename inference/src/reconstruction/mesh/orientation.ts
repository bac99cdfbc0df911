import type { Vec3 } from "../contracts.js";
import { invalidArgument } from "../../runtime/errors.js";

/**
 * The 3×3 rotation (row-major) that turns the scene's `up` into +Y, glTF's up: the smallest
 * rotation doing so (about the axis up × Y), so a scene already Y-up is left alone and a Z-up
 * capture (Blender, NeRF-synthetic) is tipped over its X axis.
 */
export function gltfUpRotation(up: Vec3): Float64Array {
  const length = Math.hypot(...up);
  if (!(length > 0) || !Number.isFinite(length))
    throw invalidArgument("the up vector must be finite and non-zero");
  const [x, y, z] = up.map((c) => c / length) as Vec3;
  // Rodrigues' formula for the rotation taking u to Y: axis u × Y = (−z, 0, x), cos = y.
  if (y < -1 + 1e-12) return new Float64Array([1, 0, 0, 0, -1, 0, 0, 0, -1]);
  const k = 1 / (1 + y);
  const [ax, az] = [-z, x];
  return new Float64Array([
    y + ax * ax * k,
    -az,
    ax * az * k,
    az,
    y,
    -ax,
    ax * az * k,
    ax,
    y + az * az * k,
  ]).map((value) => value + 0); // −0 → 0, so an identity reads as one
}

/** `rotation` (row-major 3×3) applied to every xyz triple; a copy in float32 as written to files. */
export function rotatePoints(points: Float32Array, rotation?: Float64Array): Float32Array {
  if (!rotation) return Float32Array.from(points);
  if (rotation.length !== 9) throw invalidArgument(`a rotation has 9 numbers; got ${rotation.length}`);
  const out = new Float32Array(points.length);
  const r = rotation;
  for (let p = 0; p < points.length; p += 3) {
    const [x, y, z] = [points[p]!, points[p + 1]!, points[p + 2]!];
    out[p] = r[0]! * x + r[1]! * y + r[2]! * z;
    out[p + 1] = r[3]! * x + r[4]! * y + r[5]! * z;
    out[p + 2] = r[6]! * x + r[7]! * y + r[8]! * z;
  }
  return out;
}

/**
 * Unit vertex normals, the area-weighted sum of the normals of the triangles around each vertex
 * (counter-clockwise winding makes them point outward). A vertex whose triangles cancel out gets
 * +Y rather than a zero vector, which glTF forbids.
 */
export function vertexNormals(positions: Float32Array, indices: Uint32Array): Float32Array {
  const sums = new Float64Array(positions.length);
  for (let t = 0; t < indices.length; t += 3) {
    const [a, b, c] = [indices[t]! * 3, indices[t + 1]! * 3, indices[t + 2]! * 3];
    const e1 = [0, 1, 2].map((i) => positions[b + i]! - positions[a + i]!);
    const e2 = [0, 1, 2].map((i) => positions[c + i]! - positions[a + i]!);
    const n = [
      e1[1]! * e2[2]! - e1[2]! * e2[1]!,
      e1[2]! * e2[0]! - e1[0]! * e2[2]!,
      e1[0]! * e2[1]! - e1[1]! * e2[0]!,
    ];
    for (const v of [a, b, c]) for (let i = 0; i < 3; i++) sums[v + i]! += n[i]!;
  }
  const normals = new Float32Array(positions.length);
  for (let v = 0; v < sums.length; v += 3) {
    const length = Math.hypot(sums[v]!, sums[v + 1]!, sums[v + 2]!);
    if (length > 0) for (let i = 0; i < 3; i++) normals[v + i] = sums[v + i]! / length;
    else normals[v + 1] = 1;
  }
  return normals;
}

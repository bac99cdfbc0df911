import type { TriangleMesh } from "../../inference/src/reconstruction/contracts";

/**
 * Distances between a mesh and a known surface. Mesh → truth: the mean |SDF| over the mesh's
 * vertices and triangle centroids. Truth → mesh: the mean distance from points spread on the true
 * surface to the nearest mesh vertex (a spatial hash; vertices of a marching-cubes mesh are under a
 * voxel apart, so this overstates the distance by at most about half a voxel).
 */
export function meshToSurface(mesh: TriangleMesh, sdf: (x: number, y: number, z: number) => number): number {
  const { positions, indices } = mesh;
  let sum = 0;
  let count = 0;
  for (let v = 0; v < positions.length; v += 3) {
    sum += Math.abs(sdf(positions[v]!, positions[v + 1]!, positions[v + 2]!));
    count++;
  }
  for (let t = 0; t < indices.length; t += 3) {
    const point = [0, 1, 2].map(
      (axis) =>
        (positions[indices[t]! * 3 + axis]! +
          positions[indices[t + 1]! * 3 + axis]! +
          positions[indices[t + 2]! * 3 + axis]!) /
        3,
    );
    sum += Math.abs(sdf(point[0]!, point[1]!, point[2]!));
    count++;
  }
  return count === 0 ? Infinity : sum / count;
}

export function surfaceToMesh(surfacePoints: Float64Array, mesh: TriangleMesh, cell: number): number {
  const buckets = new Map<string, number[]>();
  const key = (x: number, y: number, z: number) =>
    `${Math.floor(x / cell)},${Math.floor(y / cell)},${Math.floor(z / cell)}`;
  const { positions } = mesh;
  if (positions.length === 0) return Infinity;
  for (let v = 0; v < positions.length; v += 3) {
    const k = key(positions[v]!, positions[v + 1]!, positions[v + 2]!);
    const list = buckets.get(k) ?? [];
    list.push(v);
    buckets.set(k, list);
  }
  let sum = 0;
  for (let p = 0; p < surfacePoints.length; p += 3) {
    const [x, y, z] = [surfacePoints[p]!, surfacePoints[p + 1]!, surfacePoints[p + 2]!];
    const [cx, cy, cz] = [Math.floor(x / cell), Math.floor(y / cell), Math.floor(z / cell)];
    let best = Infinity;
    for (let i = cx - 1; i <= cx + 1; i++)
      for (let j = cy - 1; j <= cy + 1; j++)
        for (let k = cz - 1; k <= cz + 1; k++) {
          for (const v of buckets.get(`${i},${j},${k}`) ?? []) {
            best = Math.min(
              best,
              Math.hypot(positions[v]! - x, positions[v + 1]! - y, positions[v + 2]! - z),
            );
          }
        }
    // The 27 cells around a point cover every vertex within one cell of it; farther: search them all.
    if (best > cell) {
      for (let v = 0; v < positions.length; v += 3) {
        best = Math.min(best, Math.hypot(positions[v]! - x, positions[v + 1]! - y, positions[v + 2]! - z));
      }
    }
    sum += best;
  }
  return sum / (surfacePoints.length / 3);
}

import type { TriangleMesh } from "../contracts.js";

/**
 * The triangles of the connected component (triangles sharing vertices) with the most
 * triangles; ties go to the component met first. Floaters and stray blobs of a radiance field
 * are what this drops.
 */
export function largestComponent(mesh: TriangleMesh): TriangleMesh {
  const { indices } = mesh;
  const parent = new Int32Array(mesh.positions.length / 3);
  for (let v = 0; v < parent.length; v++) parent[v] = v;
  const root = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]!]!;
      v = parent[v]!;
    }
    return v;
  };
  for (let t = 0; t < indices.length; t += 3) {
    const a = root(indices[t]!);
    parent[root(indices[t + 1]!)] = a;
    parent[root(indices[t + 2]!)] = a;
  }
  const triangles = new Int32Array(parent.length);
  let best = -1;
  for (let t = 0; t < indices.length; t += 3) {
    const r = root(indices[t]!);
    triangles[r]!++;
    if (best < 0 || triangles[r]! > triangles[best]!) best = r;
  }
  if (best < 0) return mesh;
  const kept: number[] = [];
  for (let t = 0; t < indices.length; t += 3) {
    if (root(indices[t]!) === best) kept.push(indices[t]!, indices[t + 1]!, indices[t + 2]!);
  }
  return withoutUnusedVertices({ ...mesh, indices: new Uint32Array(kept) });
}

/** Drops the vertices no triangle uses, keeping the others in their order. */
export function withoutUnusedVertices(mesh: TriangleMesh): TriangleMesh {
  const vertexCount = mesh.positions.length / 3;
  const remap = new Int32Array(vertexCount).fill(-1);
  for (const v of mesh.indices) remap[v] = 0;
  let used = 0;
  for (let v = 0; v < vertexCount; v++) if (remap[v] === 0) remap[v] = used++;
  const pick = (attribute: Float32Array, size: number): Float32Array => {
    const out = new Float32Array(used * size);
    for (let v = 0; v < vertexCount; v++) {
      if (remap[v]! >= 0) out.set(attribute.subarray(v * size, v * size + size), remap[v]! * size);
    }
    return out;
  };
  return {
    ...mesh,
    positions: pick(mesh.positions, 3),
    ...(mesh.colors ? { colors: pick(mesh.colors, 3) } : {}),
    ...(mesh.uvs ? { uvs: pick(mesh.uvs, 2) } : {}),
    indices: mesh.indices.map((v) => remap[v]!),
  };
}

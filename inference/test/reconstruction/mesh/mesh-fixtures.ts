import { validateBytes, type ValidationReport } from "gltf-validator";
import type { TriangleMesh, Vec3, VoxelField } from "../../../src/reconstruction/contracts.js";

export interface Ball {
  centre: Vec3;
  radius: number;
}

/**
 * Per-voxel alpha of solid balls on an n³ grid over [−1, 1]³: a smooth step across the surface
 * (1 inside, 0 outside, 0.5 on the sphere), coloured by the x coordinate so colours can be checked.
 */
export function ballsField(n: number, balls: Ball[], level = 0.5): VoxelField {
  const values = new Float32Array(n * n * n);
  const rgb = new Float32Array(3 * n * n * n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const p = [i, j, k].map((index) => -1 + (2 * index) / (n - 1)) as Vec3;
        const point = i + n * (j + n * k);
        const distance = Math.min(
          ...balls.map((b) => Math.hypot(...p.map((c, a) => c - b.centre[a]!)) - b.radius),
        );
        values[point] = 1 / (1 + Math.exp((distance * n) / 2));
        rgb.set([(p[0] + 1) / 2, 0.5, 0.25], 3 * point);
      }
    }
  }
  return {
    dims: [n, n, n],
    boundsMin: [-1, -1, -1],
    boundsMax: [1, 1, 1],
    values,
    level,
    insideAbove: true,
    rgb,
  };
}

/** How many triangles use each undirected edge, keyed "low-high". */
export function edgeUses(mesh: TriangleMesh): Map<string, number> {
  const uses = new Map<string, number>();
  for (let t = 0; t < mesh.indices.length; t += 3) {
    for (let e = 0; e < 3; e++) {
      const a = mesh.indices[t + e]!;
      const b = mesh.indices[t + ((e + 1) % 3)]!;
      const key = a < b ? `${a}-${b}` : `${b}-${a}`;
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
  }
  return uses;
}

/** The signed volume the triangles enclose: positive when they wind counter-clockwise outward. */
export function signedVolume(mesh: TriangleMesh): number {
  const p = mesh.positions;
  let volume = 0;
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const [a, b, c] = [0, 1, 2].map((e) => mesh.indices[t + e]! * 3) as [number, number, number];
    volume +=
      p[a]! * (p[b + 1]! * p[c + 2]! - p[b + 2]! * p[c + 1]!) -
      p[a + 1]! * (p[b]! * p[c + 2]! - p[b + 2]! * p[c]!) +
      p[a + 2]! * (p[b]! * p[c + 1]! - p[b + 1]! * p[c]!);
  }
  return volume / 6;
}

/** The JSON chunk of a GLB, as any glTF reader sees it. */
export function glbJson(glb: Uint8Array): Record<string, unknown> & {
  accessors: { min?: number[]; max?: number[]; count: number; componentType: number; type: string }[];
  meshes: { primitives: { attributes: Record<string, number>; indices: number; material: number }[] }[];
} {
  const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  const length = view.getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + length)));
}

/** The Khronos validator's report, with its messages (warnings included) for failure output. */
export async function validate(glb: Uint8Array): Promise<ValidationReport> {
  return validateBytes(glb, { maxIssues: 50 });
}

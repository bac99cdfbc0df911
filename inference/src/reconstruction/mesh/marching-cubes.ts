import type { TriangleMesh, VoxelField } from "../contracts.js";
import { CORNERS, EDGE_CORNERS, TRIANGLES_BY_CONFIGURATION } from "./marching-cubes-table.js";

/**
 * Edge e of a cube, as the grid edge it lies on: its lower end's offset in the cube and its axis
 * (0 x, 1 y, 2 z), read off the table's edges. Naming an edge by grid point and axis, never by
 * cube, is what welds the crossing that four neighbouring cubes share into one vertex.
 */
const EDGE_STARTS = EDGE_CORNERS.map(([a, b]) => {
  const [p, q] = [CORNERS[a], CORNERS[b]];
  const axis = p[0] !== q[0] ? 0 : p[1] !== q[1] ? 1 : 2;
  return [Math.min(p[0], q[0]), Math.min(p[1], q[1]), Math.min(p[2], q[2]), axis] as const;
});

/**
 * Marching cubes over the whole grid at `field.level`: an indexed mesh with one vertex per
 * crossed grid edge, counter-clockwise seen from outside (the side that is not "inside"), in the
 * world units of the field's bounds, with colours interpolated along the edge when the field has
 * them. Where the inside touches the grid's border the surface stays open there.
 */
export function marchingCubes(field: VoxelField): TriangleMesh {
  const [nx, ny, nz] = field.dims;
  const { values, level, rgb } = field;
  const inside = new Uint8Array(values.length);
  for (let p = 0; p < values.length; p++) {
    const v = values[p]!;
    inside[p] = (field.insideAbove ? v > level : v < level) ? 1 : 0;
  }
  const spacing = field.boundsMin.map(
    (min, axis) => (field.boundsMax[axis]! - min) / (field.dims[axis]! - 1),
  );
  const strides = [1, nx, nx * ny];
  const plane = nx * ny;
  // Vertex ids of the edges starting on two consecutive z planes (x and y edges) and of the z
  // edges between them: memory grows with a slab of the grid, not with the whole grid.
  const planeEdges = new Int32Array(4 * plane).fill(-1);
  const verticalEdges = new Int32Array(plane);
  const positions: number[] = [];
  const colours: number[] = [];
  const indices: number[] = [];

  const vertexOn = (i: number, j: number, k: number, axis: number): number => {
    const slot = axis === 2 ? i + nx * j : ((k & 1) * 2 + axis) * plane + i + nx * j;
    const table = axis === 2 ? verticalEdges : planeEdges;
    const known = table[slot]!;
    if (known >= 0) return known;
    const from = i + nx * j + plane * k;
    const to = from + strides[axis]!;
    const a = values[from]!;
    const b = values[to]!;
    const t = b === a ? 0.5 : Math.min(1, Math.max(0, (level - a) / (b - a)));
    const id = positions.length / 3;
    const at = [i, j, k];
    at[axis]! += t;
    for (let c = 0; c < 3; c++) positions.push(field.boundsMin[c]! + at[c]! * spacing[c]!);
    if (rgb) for (let c = 0; c < 3; c++) colours.push(rgb[3 * from + c]! * (1 - t) + rgb[3 * to + c]! * t);
    table[slot] = id;
    return id;
  };

  const edgeVertex = new Int32Array(12);
  for (let k = 0; k < nz - 1; k++) {
    planeEdges.fill(-1, ((k + 1) & 1) * 2 * plane, (((k + 1) & 1) * 2 + 2) * plane);
    verticalEdges.fill(-1);
    for (let j = 0; j < ny - 1; j++) {
      for (let i = 0; i < nx - 1; i++) {
        const base = i + nx * j + plane * k;
        let configuration = 0;
        for (let c = 0; c < 8; c++) {
          const [dx, dy, dz] = CORNERS[c]!;
          if (inside[base + dx + nx * dy + plane * dz]) configuration |= 1 << c;
        }
        const triangles = TRIANGLES_BY_CONFIGURATION[configuration]!;
        if (triangles.length === 0) continue;
        for (const edge of triangles) {
          const [dx, dy, dz, axis] = EDGE_STARTS[edge]!;
          edgeVertex[edge] = vertexOn(i + dx, j + dy, k + dz, axis);
        }
        // The table winds its triangles clockwise seen from the outside.
        for (let t = 0; t < triangles.length; t += 3) {
          indices.push(
            edgeVertex[triangles[t]!]!,
            edgeVertex[triangles[t + 2]!]!,
            edgeVertex[triangles[t + 1]!]!,
          );
        }
      }
    }
  }
  return {
    positions: new Float32Array(positions),
    ...(rgb ? { colors: new Float32Array(colours) } : {}),
    indices: new Uint32Array(indices),
  };
}

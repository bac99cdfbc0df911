// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- other projects (the gateway's tests) compile this file through imports and must see the declaration too
/// <reference path="./isosurface.d.ts" />
import { marchingCubes } from "isosurface";

/**
 * Corner c of a cube at CORNERS[c]: the numbering the table is written in, which is also
 * isosurface's (Paul Bourke's); marching-cubes.ts walks the grid with it.
 */
export const CORNERS = [
  [0, 0, 0],
  [1, 0, 0],
  [1, 1, 0],
  [0, 1, 0],
  [0, 0, 1],
  [1, 0, 1],
  [1, 1, 1],
  [0, 1, 1],
] as const;

/** Edge e of a cube joins corners EDGE_CORNERS[e]: the edge numbering of the table's rows. */
export const EDGE_CORNERS = [
  [0, 1],
  [1, 2],
  [3, 2],
  [0, 3],
  [4, 5],
  [5, 6],
  [7, 6],
  [4, 7],
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7],
] as const;

/** A point of the unit cube whose coordinates are multiples of ½, as a key: twice its coordinates. */
const key = (x: number, y: number, z: number): string => `${2 * x},${2 * y},${2 * z}`;

const CORNER_BY_POSITION = new Map(CORNERS.map(([x, y, z], c) => [key(x, y, z), c]));

const EDGE_BY_MIDPOINT = new Map(
  EDGE_CORNERS.map(([a, b], e) => {
    const [p, q] = [CORNERS[a], CORNERS[b]];
    return [key((p[0] + q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2), e];
  }),
);

/**
 * The triangles of cube configuration `configuration`, read off isosurface's marching cubes run on
 * one unit cube whose potential is +1 at the inside corners (isosurface counts a corner in when its
 * potential is > 0) and −1 at the others, so that every crossing lands on its edge's midpoint.
 */
function trianglesOf(configuration: number): number[] {
  const potential = (x: number, y: number, z: number): number => {
    const corner = CORNER_BY_POSITION.get(key(x, y, z));
    if (corner === undefined) throw new Error(`isosurface sampled (${x}, ${y}, ${z}), not a cube corner`);
    return configuration & (1 << corner) ? 1 : -1;
  };
  // Two samples a side with bounds [0, 2]: one cube, corner coordinates 0 and 1 exactly.
  const { positions, cells } = marchingCubes([2, 2, 2], potential, [
    [0, 0, 0],
    [2, 2, 2],
  ]);
  const edges = positions.map(([x, y, z]) => {
    const edge = EDGE_BY_MIDPOINT.get(key(x, y, z));
    if (edge === undefined)
      throw new Error(`isosurface put a vertex at (${x}, ${y}, ${z}), no edge midpoint`);
    return edge;
  });
  // Vertices in isosurface's order: its winding, which is this table's (see below).
  return cells.flatMap((cell) => cell.map((vertex) => edges[vertex]!));
}

/**
 * The classic marching-cubes triangle table (Paul Bourke / Cory Bloyd), derived at load from the
 * `isosurface` package (MIT, Mikola Lysenko), which uses it but does not export it. Row c lists,
 * three at a time, the cube edges whose crossings make each triangle of cube configuration c (bit
 * i set when corner i is inside), wound as isosurface winds them: clockwise seen from the outside
 * (marching-cubes.ts reverses them). The full 256-row table (not the 15 cases plus complements) is
 * what keeps neighbouring cubes agreeing on ambiguous faces, so the surface has no cracks.
 */
export const TRIANGLES_BY_CONFIGURATION: readonly (readonly number[])[] = Array.from(
  { length: 256 },
  (_, configuration) => trianglesOf(configuration),
);

import { describe, expect, it } from "vitest";
import {
  CORNERS,
  EDGE_CORNERS,
  TRIANGLES_BY_CONFIGURATION,
} from "../../../src/reconstruction/mesh/marching-cubes-table.js";

/** The cube's faces, each as its corners in order round it. */
const FACES = [
  [0, 1, 2, 3],
  [4, 5, 6, 7],
  [0, 1, 5, 4],
  [1, 2, 6, 5],
  [2, 3, 7, 6],
  [3, 0, 4, 7],
] as const;

/** Whether some face of configuration c has its two diagonals on opposite sides (in and out). */
const hasAmbiguousFace = (c: number): boolean =>
  FACES.some(([a, b, d, e]) => {
    const inside = (corner: number): number => (c >> corner) & 1;
    return inside(a) === inside(d) && inside(b) === inside(e) && inside(a) !== inside(b);
  });

const midpoint = (edge: number): number[] => {
  const [a, b] = EDGE_CORNERS[edge]!;
  return [0, 1, 2].map((axis) => (CORNERS[a][axis]! + CORNERS[b][axis]!) / 2);
};

describe("TRIANGLES_BY_CONFIGURATION", () => {
  const table = TRIANGLES_BY_CONFIGURATION;

  it("has a row for each of the 256 configurations, empty when no corner or every corner is inside", () => {
    expect(table).toHaveLength(256);
    expect(table[0]).toEqual([]);
    expect(table[255]).toEqual([]);
  });

  it("lists whole triangles of edge ids 0–11 in every row", () => {
    for (const row of table) {
      expect(row.length % 3).toBe(0);
      for (const edge of row) {
        expect(Number.isInteger(edge)).toBe(true);
        expect(edge).toBeGreaterThanOrEqual(0);
        expect(edge).toBeLessThanOrEqual(11);
      }
    }
  });

  it("crosses the same edges for a configuration and its complement", () => {
    const edges = (row: readonly number[]): number[] => [...new Set(row)].sort((a, b) => a - b);
    for (let c = 0; c < 256; c++)
      expect(edges(table[c]!), `configuration ${c}`).toEqual(edges(table[255 - c]!));
  });

  it("gives a configuration and its complement the same number of triangles unless a face is ambiguous", () => {
    for (let c = 0; c < 256; c++) {
      if (hasAmbiguousFace(c)) continue;
      expect(table[c]!.length, `configuration ${c}`).toBe(table[255 - c]!.length);
    }
    // On an ambiguous face (two diagonal corners in, two out) the table always keeps the inside
    // corners apart, so a complement can join what the configuration separates: corners 0 and 2
    // in is two triangles, corners 0 and 2 out (250) a four-triangle band.
    expect(table[5]).toHaveLength(6);
    expect(table[250]).toHaveLength(12);
  });

  it("cuts a lone inside corner off with one triangle on its three edges, clockwise seen from outside", () => {
    for (let corner = 0; corner < 8; corner++) {
      const row = table[1 << corner]!;
      const touching = EDGE_CORNERS.flatMap(([a, b], edge) => (a === corner || b === corner ? [edge] : []));
      expect(row).toHaveLength(3);
      expect([...row].sort((a, b) => a - b)).toEqual(touching);
      // marching-cubes.ts reverses the table's triangles to wind them counter-clockwise seen from
      // outside, so here the right-hand normal points in, towards the inside corner.
      const [p, q, r] = row.map(midpoint) as [number[], number[], number[]];
      const [u, v] = [q.map((x, i) => x - p[i]!), r.map((x, i) => x - p[i]!)];
      const normal = [
        u[1]! * v[2]! - u[2]! * v[1]!,
        u[2]! * v[0]! - u[0]! * v[2]!,
        u[0]! * v[1]! - u[1]! * v[0]!,
      ];
      const towardsCorner = CORNERS[corner]!.map((x, i) => x - p[i]!);
      expect(normal.reduce((sum, n, i) => sum + n * towardsCorner[i]!, 0)).toBeGreaterThan(0);
    }
  });
});

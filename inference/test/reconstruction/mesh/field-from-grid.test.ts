import { describe, expect, it } from "vitest";
import { extractMesh, fieldFromGrid, meshStats } from "../../../src/reconstruction/mesh/index.js";

/** A C-order [x][y][z] grid over [−1, 1]³ from a function of the point. */
function grid(n: number, at: (x: number, y: number, z: number) => number): Float32Array {
  const values = new Float32Array(n ** 3);
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      for (let z = 0; z < n; z++) {
        const [px, py, pz] = [x, y, z].map((i) => -1 + (2 * i) / (n - 1)) as [number, number, number];
        values[(x * n + y) * n + z] = at(px, py, pz);
      }
    }
  }
  return values;
}

describe("fieldFromGrid", () => {
  it("reads z fastest: a box long along x comes out long along x", async () => {
    const box = (x: number, y: number, z: number) =>
      Math.max(Math.abs(x) - 0.8, Math.abs(y) - 0.3, Math.abs(z) - 0.3);
    const field = fieldFromGrid(grid(21, box), 21, "sdf", [-1, -1, -1], [1, 1, 1]);
    expect(field.dims).toEqual([21, 21, 21]);
    expect(field.values[0 + 21 * (10 + 21 * 10)]).toBeCloseTo(0.2, 6); // (x=−1, y=0, z=0): outside along x
    const stats = meshStats(await extractMesh(field));
    expect(stats.boundsMin[0]).toBeCloseTo(-0.8, 5);
    expect(stats.boundsMax[1]).toBeCloseTo(0.3, 5);
    expect(stats.boundsMax[2]).toBeCloseTo(0.3, 5);
  });

  it("meshes a density grid where per-voxel alpha crosses one half", () => {
    const n = 11; // spacing 0.2
    const sigma = Math.log(2) / 0.2; // alpha 0.5 exactly
    const field = fieldFromGrid(
      grid(n, () => sigma),
      n,
      "density",
      [-1, -1, -1],
      [1, 1, 1],
    );
    expect(field.insideAbove).toBe(true);
    expect(field.level).toBe(0.5);
    expect(field.values[0]).toBeCloseTo(0.5, 6);
    expect(
      fieldFromGrid(
        grid(n, () => -5),
        n,
        "density",
        [-1, -1, -1],
        [1, 1, 1],
      ).values[0],
    ).toBe(0);
  });

  it("refuses a grid of the wrong size, too large, or with NaN", () => {
    const bounds = [
      [-1, -1, -1],
      [1, 1, 1],
    ] as const;
    for (const [values, n] of [
      [new Float32Array(26), 3],
      [new Float32Array(8), 257],
      [new Float32Array(8).fill(Number.NaN), 2],
    ] as const) {
      expect(() => fieldFromGrid(values, n, "sdf", [...bounds[0]], [...bounds[1]])).toThrow(
        expect.objectContaining({ code: "INVALID_ARGUMENT" }),
      );
    }
  });
});

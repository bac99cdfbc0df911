import { describe, expect, it } from "vitest";
import { projectTo2d } from "../../src/datasets/embeddings/maps/pca";

/** Every combination of the levels: a full factorial design, so the columns are exactly uncorrelated. */
function grid(...levels: number[][]): number[][] {
  return levels.reduce<number[][]>(
    (rows, column) => rows.flatMap((row) => column.map((value) => [...row, value])),
    [[]],
  );
}

/** Points spread most along x (±20), then y (±3), barely along z (±0.1). */
const stretchedCloud = () => grid([-20, -10, 0, 10, 20], [-3, 0, 3], [-0.1, 0.1]);

describe("projectTo2d", () => {
  it("puts the axis of largest variance first and the next one second, each point on its own coordinates", () => {
    const rows = stretchedCloud();
    const { coordinates, explained } = projectTo2d(rows.flat(), rows.length, 3);
    // Each axis's largest loading is positive, so here x and y keep their signs.
    rows.forEach((row, index) => {
      expect(coordinates[index * 2]!).toBeCloseTo(row[0]!, 4);
      expect(coordinates[index * 2 + 1]!).toBeCloseTo(row[1]!, 4);
    });
    // Variances 200, 6 and 0.01 per point.
    expect(explained[0]).toBeCloseTo(200 / 206.01, 5);
    expect(explained[1]).toBeCloseTo(6 / 206.01, 5);
  });

  it("finds a plane however it is rotated in a higher dimension", () => {
    // Orthonormal u, v in 6-D; each point is s·u + t·v, with s spread more than t.
    const u = [1, 1, 0, 0, 1, 1].map((value) => value / 2);
    const v = [1, -1, 1, -1, 0, 0].map((value) => value / 2);
    const plane = grid([-6, -3, 0, 3, 6], [-2, -1, 0, 1, 2]);
    const values = plane.flatMap(([s, t]) => u.map((_, column) => s! * u[column]! + t! * v[column]!));
    const { coordinates, explained } = projectTo2d(values, plane.length, 6);
    // Up to each axis's sign, the projection gives back (s, t).
    const sign = (axis: 0 | 1) => Math.sign(coordinates[axis]! * plane[0]![axis]!);
    plane.forEach(([s, t], index) => {
      expect(coordinates[index * 2]!).toBeCloseTo(sign(0) * s!, 4);
      expect(coordinates[index * 2 + 1]!).toBeCloseTo(sign(1) * t!, 4);
    });
    expect(explained[0] + explained[1]).toBeCloseTo(1, 6);
  });

  it("gives the same picture for the same vectors, whatever order of calls", () => {
    const rows = stretchedCloud().flat();
    const first = projectTo2d(rows, 30, 3);
    projectTo2d(grid([1, 2], [5, 7, 9]).flat(), 6, 2);
    expect(Array.from(projectTo2d(rows, 30, 3).coordinates)).toEqual(Array.from(first.coordinates));
  });

  it("draws one point, identical points and one-dimensional data at the origin or on a line, not as NaN", () => {
    expect(Array.from(projectTo2d([1, 2, 3], 1, 3).coordinates)).toEqual([0, 0]);
    expect(Array.from(projectTo2d([4, 4, 4, 4], 2, 2).coordinates)).toEqual([0, 0, 0, 0]);
    const line = projectTo2d([1, 2, 3, 4], 4, 1);
    expect(Array.from(line.coordinates, (value) => Math.round(value * 100) / 100)).toEqual([
      -1.5, 0, -0.5, 0, 0.5, 0, 1.5, 0,
    ]);
    expect(line.explained).toEqual([1, 0]);
  });

  it("gives the same projection with the covariance formed or applied pass by pass", () => {
    const rows = stretchedCloud().flat();
    const formed = projectTo2d(rows, 30, 3);
    const passes = projectTo2d(rows, 30, 3, { covarianceUpTo: 0 });
    formed.coordinates.forEach((value, index) => expect(value).toBeCloseTo(passes.coordinates[index]!, 5));
    expect(formed.explained[0]).toBeCloseTo(passes.explained[0], 9);
  });

  it("refuses a buffer whose length does not match count × dimension", () => {
    expect(() => projectTo2d(new Float32Array(10), 3, 4)).toThrow("Expected 3 × 4 = 12 values, got 10");
  });
});

import { describe, expect, it } from "vitest";
import {
  decodeCoordinates,
  encodeCoordinates,
  scaleToUnitSquare,
} from "../../src/datasets/embeddings/maps/map-coordinates";
import { parseVectorInto } from "../../src/datasets/embeddings/maps/map-vectors";
import { projectVectors } from "../../src/datasets/embeddings/maps/project-vectors";

/** Two tight groups of four 3-D vectors, far apart in direction (cosine distance). */
const twoGroups = Float32Array.from(
  [
    [1, 0.1, 0],
    [1, 0.12, 0.01],
    [0.98, 0.09, 0.02],
    [1.02, 0.11, 0],
    [0, 0.1, 1],
    [0.01, 0.12, 1],
    [0.02, 0.09, 0.98],
    [0, 0.11, 1.02],
  ].flat(),
);

describe("scaleToUnitSquare", () => {
  it("shifts the bounding box's midpoint to the origin and shrinks both axes by one factor", () => {
    const { coordinates, scaling } = scaleToUnitSquare([1, 5, 9, 5, 5, 6]);
    expect(scaling).toEqual({ centre: [5, 5.5], scale: 4 });
    expect(Array.from(coordinates)).toEqual([-1, -0.125, 1, -0.125, 0, 0.125]);
  });

  it("puts coinciding points on the origin and refuses what is not x, y pairs or not finite", () => {
    expect(Array.from(scaleToUnitSquare([3, 3, 3, 3]).coordinates)).toEqual([0, 0, 0, 0]);
    expect(() => scaleToUnitSquare([1, 2, 3])).toThrow("Expected x, y pairs; got 3 values");
    expect(() => scaleToUnitSquare([1, Number.NaN])).toThrow("Coordinate 1 is not finite");
  });
});

describe("stored coordinates", () => {
  it("are float32 little-endian pairs, read back exactly", () => {
    const coordinates = Float32Array.from([-1, 0.5, 1, -0.25]);
    const bytes = encodeCoordinates(coordinates);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 0, 128, 191, 0, 0, 0, 63]);
    expect(decodeCoordinates(bytes)).toEqual(coordinates);
    expect(() => decodeCoordinates(new Uint8Array(12))).toThrow("Expected float32 x, y pairs; got 12 bytes");
  });
});

describe("parseVectorInto", () => {
  it("reads pgvector's text form into its row and refuses another length", () => {
    const target = new Float32Array(6);
    parseVectorInto("[1,-2.5,3e-7]", target, 3, 3, "s");
    expect(Array.from(target)).toEqual([0, 0, 0, 1, -2.5, Math.fround(3e-7)]);
    expect(() => parseVectorInto("[1,2]", target, 0, 3, "s")).toThrow(
      "sample s does not have the space's 3 values",
    );
    expect(() => parseVectorInto("[1,2,3,4]", target, 0, 3, "s")).toThrow(
      "does not have the space's 3 values",
    );
  });
});

describe("projectVectors", () => {
  it("PCA: the principal components fitted into [-1, 1], with the explained variance", () => {
    // Spread along x (±2), less along y (±0.5), none along z: the components are x and y.
    const vectors = Float32Array.from([
      -2, -0.5, 1, -2, 0.5, 1, 0, -0.5, 1, 0, 0.5, 1, 2, -0.5, 1, 2, 0.5, 1,
    ]);
    const { coordinates, details } = projectVectors({ method: "PCA", vectors, count: 6, dimension: 3 });
    const expected = [-1, -0.25, -1, 0.25, 0, -0.25, 0, 0.25, 1, -0.25, 1, 0.25];
    Array.from(coordinates).forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 6));
    expect(details.method).toBe("PCA");
    if (details.method !== "PCA") return;
    expect(details.explainedVariance[0]).toBeCloseTo(16 / 17.5, 6);
    expect(details.explainedVariance[1]).toBeCloseTo(1.5 / 17.5, 6);
    expect(details.scaling.scale).toBeCloseTo(2, 6);
  });

  it("UMAP: the same vectors give the same coordinates (seeded), each group together, in [-1, 1]", () => {
    const input = () => ({ method: "UMAP" as const, vectors: twoGroups.slice(), count: 8, dimension: 3 });
    const first = projectVectors(input());
    const second = projectVectors(input());
    expect(Array.from(second.coordinates)).toEqual(Array.from(first.coordinates));
    expect(first.details).toMatchObject({
      method: "UMAP",
      neighbours: 7,
      minimumDistance: 0.1,
      epochs: 200,
      seed: 1,
    });
    const point = (index: number) => [first.coordinates[index * 2]!, first.coordinates[index * 2 + 1]!];
    const distance = (a: number, b: number) =>
      Math.hypot(point(a)[0]! - point(b)[0]!, point(a)[1]! - point(b)[1]!);
    const within = Math.max(distance(0, 1), distance(0, 2), distance(0, 3), distance(4, 5), distance(4, 6));
    expect(Math.min(distance(0, 4), distance(1, 5), distance(3, 7))).toBeGreaterThan(within);
    for (const value of first.coordinates) expect(Math.abs(value)).toBeLessThanOrEqual(1);
  });

  it("UMAP of one or two points puts them on the origin", () => {
    const { coordinates } = projectVectors({
      method: "UMAP",
      vectors: Float32Array.from([1, 2, 3, 4]),
      count: 2,
      dimension: 2,
    });
    expect(Array.from(coordinates)).toEqual([0, 0, 0, 0]);
  });
});

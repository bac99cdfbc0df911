import { describe, expect, it } from "vitest";
import { extractMesh } from "../../../src/reconstruction/mesh/index.js";
import { ballsField, edgeUses, signedVolume } from "./mesh-fixtures.js";

const radius = 0.6;

describe("extractMesh", () => {
  it("cuts one inside corner off a single cube with one triangle facing away from it", async () => {
    const values = new Float32Array([1, 0, 0, 0, 0, 0, 0, 0]); // only (0, 0, 0) is above the level
    const mesh = await extractMesh({
      dims: [2, 2, 2],
      boundsMin: [0, 0, 0],
      boundsMax: [2, 2, 2],
      values,
      level: 0.25,
      insideAbove: true,
    });
    const corners = [0, 1, 2].map((v) => [
      ...mesh.positions.subarray(3 * mesh.indices[v]!, 3 * mesh.indices[v]! + 3),
    ]);
    // Values fall linearly from 1 to 0 along each edge (2 long): 0.25 is three quarters along.
    expect(corners.map((c) => c.join(",")).sort()).toEqual(["0,0,1.5", "0,1.5,0", "1.5,0,0"]);
    const [a, b, c] = corners as [number[], number[], number[]];
    const e1 = [0, 1, 2].map((i) => b[i]! - a[i]!);
    const e2 = [0, 1, 2].map((i) => c[i]! - a[i]!);
    const normal = [
      e1[1]! * e2[2]! - e1[2]! * e2[1]!,
      e1[2]! * e2[0]! - e1[0]! * e2[2]!,
      e1[0]! * e2[1]! - e1[1]! * e2[0]!,
    ];
    expect(normal.every((n) => n > 0)).toBe(true);
  });

  it("meshes a ball as a closed, outward-wound sphere of its radius", async () => {
    const mesh = await extractMesh(ballsField(24, [{ centre: [0, 0, 0], radius }]));
    const vertexCount = mesh.positions.length / 3;
    let worst = 0;
    for (let v = 0; v < vertexCount; v++) {
      const r = Math.hypot(mesh.positions[3 * v]!, mesh.positions[3 * v + 1]!, mesh.positions[3 * v + 2]!);
      worst = Math.max(worst, Math.abs(r - radius));
    }
    // A voxel is 2/23 ≈ 0.087 wide; linear interpolation of a smooth step is far closer.
    expect(worst).toBeLessThan(0.01);
    expect([...edgeUses(mesh).values()].every((uses) => uses === 2)).toBe(true);
    // Euler characteristic of a sphere: V − E + F = 2.
    expect(vertexCount - edgeUses(mesh).size + mesh.indices.length / 3).toBe(2);
    expect(signedVolume(mesh)).toBeCloseTo((4 / 3) * Math.PI * radius ** 3, 1);
    expect(signedVolume(mesh)).toBeGreaterThan(0);
  });

  it("interpolates the field's colours onto the vertices", async () => {
    const mesh = await extractMesh(ballsField(16, [{ centre: [0, 0, 0], radius }]));
    const red = mesh.colors!.filter((_, i) => i % 3 === 0);
    const expected = mesh.positions.filter((_, i) => i % 3 === 0).map((x) => (x + 1) / 2);
    expect(Math.max(...red.map((r, v) => Math.abs(r - expected[v]!)))).toBeLessThan(1e-5);
    expect(mesh.colors!.filter((_, i) => i % 3 === 2).every((b) => Math.abs(b - 0.25) < 1e-6)).toBe(true);
  });

  it("keeps the largest component and drops a smaller blob", async () => {
    const field = ballsField(32, [
      { centre: [-0.4, 0, 0], radius: 0.45 },
      { centre: [0.65, 0.5, 0.5], radius: 0.2 },
    ]);
    const both = await extractMesh(field, { keepLargestComponent: false });
    const largest = await extractMesh(field);
    expect(largest.indices.length).toBeLessThan(both.indices.length);
    expect(Math.max(...largest.positions.filter((_, i) => i % 3 === 0))).toBeLessThan(0.1);
    expect(largest.positions.length / 3 - edgeUses(largest).size + largest.indices.length / 3).toBe(2);
  });

  it("simplifies to the target triangle count and keeps the shape closed and outward", async () => {
    const field = ballsField(32, [{ centre: [0, 0, 0], radius }]);
    const full = await extractMesh(field);
    const simplified = await extractMesh(field, { targetTriangles: 500 });
    expect(full.indices.length / 3).toBeGreaterThan(3000);
    expect(simplified.indices.length / 3).toBeLessThanOrEqual(500);
    expect(simplified.indices.length / 3).toBeGreaterThan(400);
    expect(simplified.colors!.length).toBe(simplified.positions.length);
    expect(Math.max(...simplified.indices)).toBe(simplified.positions.length / 3 - 1);
    expect([...edgeUses(simplified).values()].every((uses) => uses === 2)).toBe(true);
    expect(signedVolume(simplified) / signedVolume(full)).toBeGreaterThan(0.95);
  });

  it("reads an SDF's inside below the level", async () => {
    const n = 12;
    const values = new Float32Array(n * n * n);
    for (let p = 0; p < values.length; p++) {
      const [i, j, k] = [p % n, Math.floor(p / n) % n, Math.floor(p / n / n)];
      values[p] = Math.hypot(i - 5.5, j - 5.5, k - 5.5) - 3;
    }
    const mesh = await extractMesh({
      dims: [n, n, n],
      boundsMin: [0, 0, 0],
      boundsMax: [11, 11, 11],
      values,
      level: 0,
      insideAbove: false,
    });
    expect(mesh.colors).toBeUndefined();
    expect(signedVolume(mesh)).toBeGreaterThan(0.9 * (4 / 3) * Math.PI * 27);
  });

  it("refuses a field whose values do not fill its grid", async () => {
    const field = { ...ballsField(4, []), values: new Float32Array(10) };
    await expect(extractMesh(field)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(extractMesh(ballsField(4, []), { targetTriangles: 0 })).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });
});

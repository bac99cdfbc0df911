import { describe, expect, it } from "vitest";
import { heightFieldMesh, type DepthMap, type Photo } from "../../../src/reconstruction/mesh/index.js";
import type { TriangleMesh } from "../../../src/reconstruction/contracts.js";

function triangleNormalsZ({ positions: p, indices }: TriangleMesh): number[] {
  const z: number[] = [];
  for (let t = 0; t < indices.length; t += 3) {
    const [a, b, c] = [0, 1, 2].map((e) => 3 * indices[t + e]!) as [number, number, number];
    z.push((p[b]! - p[a]!) * (p[c + 1]! - p[a + 1]!) - (p[b + 1]! - p[a + 1]!) * (p[c]! - p[a]!));
  }
  return z;
}

/** A 40×20 photo, red on the left half and blue on the right. */
function photo(): Photo {
  const [width, height] = [40, 20];
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) rgb.set(p % width < 20 ? [255, 0, 0] : [0, 0, 255], 3 * p);
  return { width, height, rgb, png: new Uint8Array([137, 80, 78, 71]) };
}

function depthMap(at: (x: number) => number): DepthMap {
  const [width, height] = [20, 10]; // half the photo's size: sampled by normalised position
  return { width, height, values: Float32Array.from({ length: width * height }, (_, p) => at(p % width)) };
}

const ninety = { fieldOfViewDegrees: 90, cells: 4, depthKind: "depth" } as const;

describe("heightFieldMesh", () => {
  it("back-projects a plane at depth 2 through a 90° field of view", () => {
    const mesh = heightFieldMesh(
      depthMap(() => 2),
      photo(),
      ninety,
    );
    // 4 × 2 vertices at cell centres s = 1/8, 3/8, 5/8, 7/8 and t = 1/4, 3/4; tan 45° = 1.
    expect(mesh.positions.length / 3).toBe(8);
    expect([...mesh.positions.subarray(0, 3)]).toEqual([-1.5, 0.5, -2]);
    expect([...mesh.positions.subarray(21, 24)]).toEqual([1.5, -0.5, -2]);
    expect([...mesh.uvs!.subarray(0, 2)]).toEqual([0.125, 0.25]);
    expect([...mesh.colors!.subarray(0, 3)]).toEqual([1, 0, 0]);
    expect([...mesh.colors!.subarray(21, 24)]).toEqual([0, 0, 1]);
    expect(mesh.indices.length / 3).toBe(6);
    expect(mesh.texturePng).toEqual(photo().png);
    // Counter-clockwise seen from the camera: every triangle's normal points back at it (+Z).
    expect(triangleNormalsZ(mesh).every((z) => z > 0)).toBe(true);
  });

  it("drops the triangles across a depth step and keeps the rest", () => {
    const mesh = heightFieldMesh(
      depthMap((x) => (x < 10 ? 1 : 2)),
      photo(),
      ninety,
    );
    // The step lies between the second and third columns: its 2 triangles go.
    expect(mesh.indices.length / 3).toBe(4);
    expect(
      heightFieldMesh(
        depthMap((x) => (x < 10 ? 1 : 1.05)),
        photo(),
        ninety,
      ).indices.length / 3,
    ).toBe(6);
    expect(
      heightFieldMesh(
        depthMap((x) => (x < 10 ? 1 : 2)),
        photo(),
        { ...ninety, discontinuity: 1.5 },
      ).indices.length / 3,
    ).toBe(6);
  });

  it("turns disparity into depth with a median of one unit", () => {
    const mesh = heightFieldMesh(
      depthMap((x) => (x < 10 ? 8 : 4)),
      photo(),
      { ...ninety, depthKind: "disparity", discontinuity: 2 },
    );
    const depths = [...mesh.positions.filter((_, i) => i % 3 === 2)].map((z) => -z);
    expect(depths.sort()).toEqual([0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1]);
  });

  it("leaves out pixels without a valid depth and refuses bad options", () => {
    const holes = heightFieldMesh(
      depthMap((x) => (x < 5 ? 0 : 3)),
      photo(),
      ninety,
    );
    expect(holes.positions.length / 3).toBe(6);
    expect(holes.indices.length / 3).toBe(4);
    expect(() =>
      heightFieldMesh(
        depthMap(() => 1),
        photo(),
        { ...ninety, cells: 5000 },
      ),
    ).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() =>
      heightFieldMesh(
        depthMap(() => 1),
        photo(),
        { ...ninety, fieldOfViewDegrees: 180 },
      ),
    ).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});

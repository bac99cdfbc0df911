import { NodeIO } from "@gltf-transform/core";
import { describe, expect, it } from "vitest";
import type { TriangleMesh } from "../../../src/reconstruction/contracts.js";
import sharp from "sharp";
import {
  extractMesh,
  gltfUpRotation,
  heightFieldMesh,
  meshStats,
  meshToGlb,
  readGlb,
} from "../../../src/reconstruction/mesh/index.js";
import { ballsField, glbJson, validate } from "./mesh-fixtures.js";

const FLOAT = 5126;
const UNSIGNED_SHORT = 5123;

async function ball(): Promise<TriangleMesh> {
  return extractMesh(ballsField(16, [{ centre: [0.2, 0, 0], radius: 0.5 }]));
}

describe("meshToGlb", () => {
  it("writes a GLB the Khronos validator passes, with POSITION bounds equal to meshStats", async () => {
    const mesh = await ball();
    const rotation = gltfUpRotation([0, 0, 1]);
    const glb = await meshToGlb(mesh, {
      rotation,
      unlit: true,
      extras: { tessera: { method: "RADIANCE_FIELD" } },
    });
    const report = await validate(glb);
    expect(report.issues.messages.filter((m) => m.severity <= 1)).toEqual([]);
    expect(report.issues.numErrors).toBe(0);
    expect(report.issues.numWarnings).toBe(0);
    expect(glb.length % 4).toBe(0);

    const json = glbJson(glb);
    const stats = meshStats(mesh, rotation);
    const primitive = json.meshes[0]!.primitives[0]!;
    expect(Object.keys(primitive.attributes).sort()).toEqual(["COLOR_0", "NORMAL", "POSITION"]);
    const position = json.accessors[primitive.attributes.POSITION!]!;
    expect(position.min).toEqual(stats.boundsMin);
    expect(position.max).toEqual(stats.boundsMax);
    expect(position.count).toBe(stats.vertexCount);
    expect(json.accessors[primitive.indices]!.count).toBe(3 * stats.triangleCount);
    expect(json.accessors[primitive.indices]!.componentType).toBe(UNSIGNED_SHORT);
    expect(json.accessors[primitive.attributes.COLOR_0!]!.componentType).toBe(FLOAT);
    expect(json.extensionsUsed).toEqual(["KHR_materials_unlit"]);
    expect((json.asset as { extras: unknown }).extras).toEqual({ tessera: { method: "RADIANCE_FIELD" } });
    expect((json.scenes as { extras: unknown }[])[0]!.extras).toEqual({
      tessera: { method: "RADIANCE_FIELD" },
    });
  });

  it("turns a Z-up scene Y-up: the ball's offset along x stays, its height moves to y", async () => {
    const mesh = await extractMesh(ballsField(16, [{ centre: [0, 0, 0.3], radius: 0.4 }]));
    const stats = meshStats(mesh, gltfUpRotation([0, 0, 1]));
    expect((stats.boundsMin[1] + stats.boundsMax[1]) / 2).toBeCloseTo(0.3, 2);
    expect((stats.boundsMin[2] + stats.boundsMax[2]) / 2).toBeCloseTo(0, 2);
    const readBack = await new NodeIO().readBinary(
      await meshToGlb(mesh, { rotation: gltfUpRotation([0, 0, 1]) }),
    );
    const positions = readBack.getRoot().listMeshes()[0]!.listPrimitives()[0]!.getAttribute("POSITION")!;
    expect(positions.getMin([0, 0, 0])).toEqual(stats.boundsMin);
  });

  it("writes a height field with TEXCOORD_0, the photo as base colour texture, and its extras", async () => {
    const [width, height] = [8, 6];
    const rgb = new Uint8Array(width * height * 3).map((_, i) => (i * 37) % 256);
    const png = await sharp(Buffer.from(rgb), { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    const mesh = heightFieldMesh(
      { width, height, values: new Float32Array(width * height).fill(2) },
      { width, height, rgb, png },
      { fieldOfViewDegrees: 60, cells: 8, depthKind: "depth" },
    );
    const glb = await meshToGlb(mesh, { doubleSided: true, extras: { tessera: { heightField: true } } });
    const report = await validate(glb);
    expect(report.issues.messages.filter((m) => m.severity <= 1)).toEqual([]);
    const json = glbJson(glb);
    const primitive = json.meshes[0]!.primitives[0]!;
    expect(Object.keys(primitive.attributes).sort()).toEqual(["NORMAL", "POSITION", "TEXCOORD_0"]);
    expect((json.images as { mimeType: string }[])[0]!.mimeType).toBe("image/png");
    expect((json.materials as { doubleSided: boolean }[])[0]!.doubleSided).toBe(true);
    expect(json.extensionsUsed).toBeUndefined();
    expect((json.asset as { extras: unknown }).extras).toEqual({ tessera: { heightField: true } });
    expect(await readGlb(glb)).toEqual(meshStats(mesh));
  });

  it("uses 32-bit indices past 65 534 vertices", async () => {
    const vertexCount = 70_000;
    const positions = new Float32Array(3 * vertexCount).map((_, i) =>
      i % 3 === 0 ? Math.floor(i / 3) : i % 3 === 1 ? i % 2 : 0,
    );
    const indices = new Uint32Array(3 * (vertexCount - 2)).map((_, i) => Math.floor(i / 3) + (i % 3));
    const glb = await meshToGlb({ positions, indices });
    const json = glbJson(glb);
    expect(json.accessors[json.meshes[0]!.primitives[0]!.indices]!.componentType).toBe(5125);
  });

  it("maps any up vector to +Y with a proper rotation", () => {
    for (const up of [
      [0, 1, 0],
      [0, 0, 1],
      [0, -1, 0],
      [1, 2, -3],
    ] as const) {
      const r = gltfUpRotation([...up]);
      const length = Math.hypot(...up);
      const image = [0, 1, 2].map(
        (row) => (r[3 * row]! * up[0] + r[3 * row + 1]! * up[1] + r[3 * row + 2]! * up[2]) / length,
      );
      expect(image[0]).toBeCloseTo(0, 12);
      expect(image[1]).toBeCloseTo(1, 12);
      expect(image[2]).toBeCloseTo(0, 12);
      const determinant =
        r[0]! * (r[4]! * r[8]! - r[5]! * r[7]!) -
        r[1]! * (r[3]! * r[8]! - r[5]! * r[6]!) +
        r[2]! * (r[3]! * r[7]! - r[4]! * r[6]!);
      expect(determinant).toBeCloseTo(1, 12);
    }
    expect([...gltfUpRotation([0, 1, 0])]).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it("refuses a mesh without triangles", async () => {
    await expect(
      meshToGlb({ positions: new Float32Array(0), indices: new Uint32Array(0) }),
    ).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });
});

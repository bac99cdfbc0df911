import { Document, NodeIO } from "@gltf-transform/core";
import { describe, expect, it } from "vitest";
import { extractMesh, meshStats, meshToGlb, readGlb } from "../../../src/reconstruction/mesh/index.js";
import { ballsField } from "./mesh-fixtures.js";

describe("readGlb", () => {
  it("reads back the counts and bounds meshToGlb wrote", async () => {
    const mesh = await extractMesh(ballsField(12, [{ centre: [0, 0.1, 0], radius: 0.5 }]));
    expect(await readGlb(await meshToGlb(mesh))).toEqual(meshStats(mesh));
  });

  it("applies node transforms to the bounds, as a backend's GLB may carry them", async () => {
    const document = new Document();
    const buffer = document.createBuffer();
    const positions = document
      .createAccessor()
      .setType("VEC3")
      .setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]))
      .setBuffer(buffer);
    const primitive = document.createPrimitive().setAttribute("POSITION", positions);
    const node = document
      .createNode()
      .setMesh(document.createMesh().addPrimitive(primitive))
      .setTranslation([10, 0, 0])
      .setScale([2, 2, 2]);
    document.getRoot().setDefaultScene(document.createScene().addChild(node));
    const stats = await readGlb(await new NodeIO().writeBinary(document));
    expect(stats).toEqual({ vertexCount: 3, triangleCount: 1, boundsMin: [10, 0, 0], boundsMax: [12, 2, 0] });
  });

  it("refuses bytes that are not a GLB, and a GLB cut short", async () => {
    await expect(readGlb(new TextEncoder().encode("<html>Bad gateway</html>"))).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("not a glTF binary"),
    });
    const mesh = await extractMesh(ballsField(8, [{ centre: [0, 0, 0], radius: 0.5 }]));
    const glb = await meshToGlb(mesh);
    await expect(readGlb(glb.subarray(0, glb.length / 2))).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
    });
  });
});

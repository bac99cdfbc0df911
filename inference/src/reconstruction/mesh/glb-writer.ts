import { Document, NodeIO } from "@gltf-transform/core";
import type { TriangleMesh, Vec3 } from "../contracts.js";
import { invalidArgument } from "../../runtime/errors.js";
import { MaterialsUnlit } from "./materials-unlit.js";
import { rotatePoints, vertexNormals } from "./orientation.js";

export interface GlbOptions {
  /** Row-major 3×3 applied to positions and normals, e.g. gltfUpRotation(scene up). */
  rotation?: Float64Array;
  /** KHR_materials_unlit: for colours that already hold their lighting (baked radiance). */
  unlit?: boolean;
  /** Show back faces too: for open surfaces such as a height field. */
  doubleSided?: boolean;
  /** JSON written to the asset's and the scene's extras (three.js: gltf.asset / scene.userData). */
  extras?: Record<string, unknown>;
}

export interface MeshStats {
  vertexCount: number;
  triangleCount: number;
  boundsMin: Vec3;
  boundsMax: Vec3;
}

/**
 * A glTF 2.0 binary of `mesh`: +Y up once `rotation` is applied, world units as metres, POSITION
 * with min/max, NORMAL, and either TEXCOORD_0 with the PNG as base colour texture (when the mesh
 * has one) or COLOR_0 from the vertex colours.
 *
 * Mesh colours are in the photos' space (byte / 255, as the radiance field fits them), while glTF
 * defines COLOR_0 as linear: they are decoded from sRGB on the way out so that viewers, which
 * encode to sRGB for display, show the photos' colours.
 */
export async function meshToGlb(mesh: TriangleMesh, options: GlbOptions = {}): Promise<Uint8Array> {
  const triangleCount = mesh.indices.length / 3;
  if (!Number.isInteger(triangleCount) || triangleCount === 0) {
    throw invalidArgument("a GLB needs a mesh with at least one triangle");
  }
  const vertexCount = mesh.positions.length / 3;
  const positions = rotatePoints(mesh.positions, options.rotation);
  const document = new Document();
  const buffer = document.createBuffer();
  const attribute = (array: Float32Array, type: "VEC2" | "VEC3") =>
    document.createAccessor().setType(type).setArray(array).setBuffer(buffer);
  const primitive = document
    .createPrimitive()
    .setAttribute("POSITION", attribute(positions, "VEC3"))
    .setAttribute("NORMAL", attribute(vertexNormals(positions, mesh.indices), "VEC3"))
    .setIndices(
      document
        .createAccessor()
        .setType("SCALAR")
        // 65 535 is the primitive-restart value, which glTF forbids as an index.
        .setArray(vertexCount < 65_535 ? Uint16Array.from(mesh.indices) : Uint32Array.from(mesh.indices))
        .setBuffer(buffer),
    );
  const material = document
    .createMaterial()
    .setBaseColorFactor([1, 1, 1, 1])
    .setMetallicFactor(0)
    .setRoughnessFactor(1)
    .setDoubleSided(options.doubleSided ?? false);
  if (mesh.texturePng && mesh.uvs) {
    primitive.setAttribute("TEXCOORD_0", attribute(Float32Array.from(mesh.uvs), "VEC2"));
    material.setBaseColorTexture(document.createTexture().setImage(mesh.texturePng).setMimeType("image/png"));
  } else if (mesh.colors) {
    primitive.setAttribute("COLOR_0", attribute(mesh.colors.map(srgbToLinear), "VEC3"));
  }
  primitive.setMaterial(material);
  if (options.unlit) document.createExtension(MaterialsUnlit);
  const node = document.createNode().setMesh(document.createMesh().addPrimitive(primitive));
  const scene = document.createScene().addChild(node);
  document.getRoot().setDefaultScene(scene);
  const asset = document.getRoot().getAsset();
  asset.generator = "Tessera";
  if (options.extras) {
    asset.extras = options.extras;
    scene.setExtras(options.extras);
  }
  return new NodeIO().registerExtensions([MaterialsUnlit]).writeBinary(document);
}

/** Vertex and triangle counts and the bounds of `mesh` exactly as meshToGlb writes them. */
export function meshStats(mesh: TriangleMesh, rotation?: Float64Array): MeshStats {
  const positions = rotatePoints(mesh.positions, rotation);
  const boundsMin: Vec3 = [Infinity, Infinity, Infinity];
  const boundsMax: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let p = 0; p < positions.length; p += 3) {
    for (let axis = 0; axis < 3; axis++) {
      boundsMin[axis] = Math.min(boundsMin[axis]!, positions[p + axis]!);
      boundsMax[axis] = Math.max(boundsMax[axis]!, positions[p + axis]!);
    }
  }
  const empty = positions.length === 0; // bounds of nothing: zeros rather than ±Infinity (not JSON)
  return {
    vertexCount: positions.length / 3,
    triangleCount: mesh.indices.length / 3,
    boundsMin: empty ? [0, 0, 0] : boundsMin,
    boundsMax: empty ? [0, 0, 0] : boundsMax,
  };
}

function srgbToLinear(value: number): number {
  const c = Math.min(1, Math.max(0, value));
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

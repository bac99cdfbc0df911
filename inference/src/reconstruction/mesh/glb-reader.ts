import { NodeIO, type Document } from "@gltf-transform/core";
import type { Vec3 } from "../contracts.js";
import { TierError } from "../../runtime/errors.js";
import type { MeshStats } from "./glb-writer.js";

/** A GLB that is not one, or that no reader without extra extensions can open. */
export class InvalidGlbError extends TierError {
  constructor(message: string) {
    super("INVALID_ARGUMENT", message);
  }
}

const GLB_MAGIC = 0x46546c67; // "glTF"
const TRIANGLES = 4;
const TRIANGLE_STRIP = 5;
const TRIANGLE_FAN = 6;

/**
 * Checks a GLB a generative backend answered by parsing it with glTF-Transform, and counts what
 * it holds: vertices and triangles of every mesh instance in the scenes, and world-space bounds
 * (node transforms applied). A file that needs an extension this reader lacks (Draco, meshopt
 * compression) is refused: the dashboard's viewer could not open it either.
 */
export async function readGlb(bytes: Uint8Array): Promise<MeshStats> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 20 || view.getUint32(0, true) !== GLB_MAGIC) {
    throw new InvalidGlbError("the mesh is not a glTF binary (GLB): it does not start with the bytes 'glTF'");
  }
  if (view.getUint32(4, true) !== 2) throw new InvalidGlbError("the mesh is not a glTF 2.0 binary");
  let document: Document;
  try {
    document = await new NodeIO().readBinary(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidGlbError(`the mesh is not a readable glTF 2.0 binary: ${reason}`);
  }
  return statsOf(document);
}

function statsOf(document: Document): MeshStats {
  let vertexCount = 0;
  let triangleCount = 0;
  const boundsMin: Vec3 = [Infinity, Infinity, Infinity];
  const boundsMax: Vec3 = [-Infinity, -Infinity, -Infinity];
  const point: number[] = [0, 0, 0];
  for (const node of document.getRoot().listNodes()) {
    const mesh = node.getMesh();
    if (!mesh) continue;
    const m = node.getWorldMatrix(); // column-major 4×4
    for (const primitive of mesh.listPrimitives()) {
      const position = primitive.getAttribute("POSITION");
      if (!position) continue;
      const count = position.getCount();
      vertexCount += count;
      const elements = primitive.getIndices()?.getCount() ?? count;
      const mode = primitive.getMode();
      if (mode === TRIANGLES) triangleCount += Math.floor(elements / 3);
      else if (mode === TRIANGLE_STRIP || mode === TRIANGLE_FAN) triangleCount += Math.max(0, elements - 2);
      for (let v = 0; v < count; v++) {
        position.getElement(v, point);
        const [x, y, z] = point as Vec3;
        for (let axis = 0; axis < 3; axis++) {
          const world = m[axis]! * x + m[4 + axis]! * y + m[8 + axis]! * z + m[12 + axis]!;
          boundsMin[axis] = Math.min(boundsMin[axis]!, world);
          boundsMax[axis] = Math.max(boundsMax[axis]!, world);
        }
      }
    }
  }
  if (triangleCount === 0) throw new InvalidGlbError("the mesh's GLB holds no triangles");
  return { vertexCount, triangleCount, boundsMin, boundsMax };
}

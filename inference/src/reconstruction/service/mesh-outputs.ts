import type { MeshStats } from "@tessera/proto/generated/tessera/reconstruction/v1/MeshStats";
import type { RgbPixels } from "../../images/decode-image";
import type { PinholeCamera, TriangleMesh, Vec3 } from "../contracts";
import {
  meshStats,
  orbitCameras,
  pointCloudPly,
  rasterizeMesh,
  type MeshStats as MeshSummary,
} from "../mesh";
import { glbType, plyType, pngType, type ReconstructEvents } from "./event-stream";
import { reconstructionLimits as limits } from "./reconstruction-limits";
import { rgbPng } from "../../images/encode-png";

/** Behind meshes drawn for previews and turntables: white, as the scenes default to. */
const renderBackground: Vec3 = [1, 1, 1];
/** Grey for the points of a mesh without colours. */
const plainGrey = 200;

export function meshStatsMessage(stats: MeshSummary): MeshStats {
  return {
    vertex_count: stats.vertexCount,
    triangle_count: stats.triangleCount,
    bounds_min: [...stats.boundsMin],
    bounds_max: [...stats.boundsMax],
  };
}

export interface MeshOutputs {
  /** The GLB as it goes out (a backend's own bytes, or written here). */
  glb: Uint8Array;
  /** Where the preview is drawn from; null: from the front of the mesh's bounds. */
  previewCamera: PinholeCamera | null;
  turntableFrames: number;
  /** The photo a textured mesh's uvs sample, to colour its points. */
  texture: RgbPixels | null;
  signal: AbortSignal;
}

/**
 * The files of a method whose answer is a mesh already +Y up (DEPTH_MESH, TEXT_TO_3D,
 * IMAGE_TO_3D), in this order: MESH_GLB, POINT_CLOUD_PLY (its vertices), PREVIEW_PNG (number 0,
 * rasterised), the TURNTABLE_PNG frames. Answers the mesh's statistics for the result.
 */
export async function sendMeshOutputs(
  mesh: TriangleMesh,
  events: ReconstructEvents,
  outputs: MeshOutputs,
): Promise<MeshStats> {
  const stats = meshStats(mesh);
  await events.artifact({
    kind: "MESH_GLB",
    number: 0,
    contentType: glbType,
    fileName: "mesh.glb",
    bytes: outputs.glb,
  });
  await events.artifact({
    kind: "POINT_CLOUD_PLY",
    number: 0,
    contentType: plyType,
    fileName: "points.ply",
    bytes: pointCloudPly(mesh.positions, vertexColours(mesh, outputs.texture)),
  });
  const orbit = (count: number) =>
    orbitCameras({
      boundsMin: stats.boundsMin,
      boundsMax: stats.boundsMax,
      up: [0, 1, 0],
      count,
      width: limits.meshRenderSize,
      height: limits.meshRenderSize,
      fovDegrees: 40,
      elevationDegrees: 20,
    });
  const draw = (camera: PinholeCamera) => rgbPng(rasterizeMesh(mesh, camera, renderBackground), camera);
  await events.artifact({
    kind: "PREVIEW_PNG",
    number: 0,
    contentType: pngType,
    fileName: "preview.png",
    bytes: await draw(outputs.previewCamera ?? orbit(1)[0]!),
  });
  if (outputs.turntableFrames > 0) {
    for (const [number, camera] of orbit(outputs.turntableFrames).entries()) {
      outputs.signal.throwIfAborted();
      await events.artifact({
        kind: "TURNTABLE_PNG",
        number,
        contentType: pngType,
        fileName: `turntable-${String(number).padStart(3, "0")}.png`,
        bytes: await draw(camera),
      });
    }
  }
  return meshStatsMessage(stats);
}

/** RGB bytes per vertex: its colour, else its texel, else grey. */
function vertexColours(mesh: TriangleMesh, texture: RgbPixels | null): Uint8Array {
  const count = mesh.positions.length / 3;
  const colours = new Uint8Array(count * 3).fill(plainGrey);
  if (mesh.colors) {
    for (let index = 0; index < count * 3; index++) {
      colours[index] = Math.round(Math.min(1, Math.max(0, mesh.colors[index]!)) * 255);
    }
  } else if (mesh.uvs && texture) {
    for (let vertex = 0; vertex < count; vertex++) {
      const x = Math.min(
        texture.width - 1,
        Math.max(0, Math.round(mesh.uvs[vertex * 2]! * (texture.width - 1))),
      );
      const y = Math.min(
        texture.height - 1,
        Math.max(0, Math.round(mesh.uvs[vertex * 2 + 1]! * (texture.height - 1))),
      );
      colours.set(
        texture.data.subarray((y * texture.width + x) * 3, (y * texture.width + x) * 3 + 3),
        vertex * 3,
      );
    }
  }
  return colours;
}

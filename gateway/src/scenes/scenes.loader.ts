import DataLoader from "dataloader";
import type {
  PrismaClient,
  Scene as SceneRow,
  SceneFrame as SceneFrameRow,
} from "../generated/prisma/client";
import { isUuid } from "../graphql/ids";
import type { Scene, SceneFrame } from "./scenes.types";

export function toScene(row: SceneRow): Scene {
  return {
    id: row.id,
    ownerId: row.ownerId,
    name: row.name,
    description: row.description,
    public: row.public,
    background: row.background,
    format: row.format,
    width: row.width,
    height: row.height,
    frameCount: row.frameCount,
    aabbScale: row.aabbScale,
    sizeBytes: Number(row.sizeBytes),
    boundsMin: row.boundsMin,
    boundsMax: row.boundsMax,
    createdAt: row.createdAt,
  };
}

export function toSceneFrame(row: SceneFrameRow): SceneFrame {
  return {
    id: row.id,
    sceneId: row.sceneId,
    index: row.index,
    filePath: row.filePath,
    split: row.split,
    width: row.width,
    height: row.height,
    camera: {
      model: row.cameraModel,
      fx: row.fx,
      fy: row.fy,
      cx: row.cx,
      cy: row.cy,
      k1: row.k1,
      k2: row.k2,
      p1: row.p1,
      p2: row.p2,
      transform: row.transform,
    },
  };
}

/**
 * Per request. `sceneById` does not check visibility: callers load ids a visibility-checked
 * query returned (scenes(...)) or check the scene themselves (Reconstruction.scene).
 */
export function createSceneLoaders(prisma: PrismaClient) {
  return {
    sceneById: new DataLoader<string, Scene | null>(async (ids) => {
      const rows = await prisma.scene.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      const byId = new Map(rows.map((row) => [row.id, toScene(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    framesBySceneId: new DataLoader<string, SceneFrame[]>(async (sceneIds) => {
      const rows = await prisma.sceneFrame.findMany({
        where: { sceneId: { in: [...sceneIds] } },
        orderBy: [{ sceneId: "asc" }, { index: "asc" }],
      });
      const bySceneId = new Map<string, SceneFrame[]>();
      for (const row of rows) {
        const list = bySceneId.get(row.sceneId) ?? [];
        list.push(toSceneFrame(row));
        bySceneId.set(row.sceneId, list);
      }
      return sceneIds.map((id) => bySceneId.get(id) ?? []);
    }),
  };
}

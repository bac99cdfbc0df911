import type { PrismaClient } from "../generated/prisma/client";
import type { BlobReferences } from "../blobs/blob-references";
import { conflict, notFound } from "../errors";
import { JobStatus } from "../generated/prisma/enums";
import { isUuid } from "../graphql/ids";
import { assertCanChange, assertCanSee, canSee, requireViewer, type Viewer } from "../users/access";
import { toScene } from "./scenes.loader";
import type { Scene } from "./scenes.types";

/** What the frame file routes need: where a frame's image and thumbnail bytes are. */
export interface SceneFrameFile {
  id: string;
  image: { sha256: string; sizeBytes: number };
  thumbnail: { sha256: string; sizeBytes: number };
}

/** Scenes' `public` flag in the shape the access helpers read. */
const owned = <T extends { ownerId: string; public: boolean }>(row: T) => ({
  ownerId: row.ownerId,
  isPublic: row.public,
});

/** Reading scenes with the same visibility as datasets, deleting them, and frame files. */
export class ScenesService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly references: BlobReferences,
  ) {}

  /** The scene, or null when it does not exist or the viewer may not see it. */
  async findScene(viewer: Viewer | null, id: string): Promise<Scene | null> {
    if (!isUuid(id)) return null;
    const row = await this.prisma.scene.findUnique({ where: { id } });
    return row && canSee(viewer, owned(row)) ? toScene(row) : null;
  }

  /** The scene, or NOT_FOUND (whether it exists elsewhere is not told): for other domains' inputs. */
  async visibleScene(viewer: Viewer | null, id: string): Promise<Scene> {
    const scene = await this.findScene(viewer, id);
    return assertCanSee(viewer, scene ? { ...scene, isPublic: scene.public } : null, `Scene ${id}`);
  }

  /**
   * Removes the scene and its frames (finished reconstructions keep their rows and artifacts, with
   * no scene), then the frame files nothing else uses. Owner or admin; NOT_FOUND for a scene the
   * viewer cannot see, FORBIDDEN for another user's public one, CONFLICT while a reconstruction of
   * it is queued or running (its frames are read until it finishes).
   */
  async deleteScene(viewer: Viewer | null, id: string): Promise<boolean> {
    const row = isUuid(id) ? await this.prisma.scene.findUnique({ where: { id } }) : null;
    assertCanChange(requireViewer(viewer), row ? { ...row, isPublic: row.public } : null, `Scene ${id}`);
    const frames = await this.prisma.$transaction(async (tx) => {
      // startReconstruction's insert of a row naming this scene takes a key-share lock on it, which
      // FOR UPDATE waits for: a reconstruction committed first is counted below; one inserted
      // after waits for this delete and then finds no scene to reference.
      const locked = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "Scene" WHERE "id" = ${id}::uuid FOR UPDATE`;
      if (locked.length === 0) throw notFound(`Scene ${id}`);
      const active = await tx.reconstruction.count({
        where: { sceneId: id, job: { status: { in: [JobStatus.QUEUED, JobStatus.RUNNING] } } },
      });
      if (active > 0) {
        const them = active === 1 ? "reconstruction" : "reconstructions";
        throw conflict(
          `Scene ${id} is being reconstructed: cancel its ${active} running ${them} first ` +
            "(cancelReconstruction), then delete it",
          { running: active },
        );
      }
      const rows = await tx.sceneFrame.findMany({
        where: { sceneId: id },
        select: { sha256: true, thumbnailSha256: true },
      });
      await tx.scene.delete({ where: { id } });
      return rows;
    });
    await this.references.release(frames.flatMap((frame) => [frame.sha256, frame.thumbnailSha256]));
    return true;
  }

  /** A frame of a scene the viewer may see, or NOT_FOUND. */
  async visibleFrame(viewer: Viewer | null, id: string): Promise<SceneFrameFile> {
    const row = isUuid(id)
      ? await this.prisma.sceneFrame.findUnique({
          where: { id },
          include: { scene: true, blob: true, thumbnail: true },
        })
      : null;
    const frame = assertCanSee(viewer, row, `Scene frame ${id}`, (r) => owned(r.scene));
    return {
      id: frame.id,
      image: { sha256: frame.sha256, sizeBytes: Number(frame.blob.sizeBytes) },
      thumbnail: { sha256: frame.thumbnailSha256, sizeBytes: Number(frame.thumbnail.sizeBytes) },
    };
  }
}

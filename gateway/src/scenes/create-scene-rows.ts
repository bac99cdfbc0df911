import type { PrismaClient, Scene as SceneRow } from "../generated/prisma/client";
import type { SceneFormat } from "../generated/prisma/enums";
import type { BlobReferences } from "../blobs/blob-references";
import type { CheckedSceneInput } from "./scene-input";
import type { SceneBox } from "./scene-bounds";
import type { StoredFrame } from "./frame-photos";

export interface NewScene {
  ownerId: string;
  input: CheckedSceneInput;
  format: SceneFormat;
  aabbScale: number | null;
  bounds: SceneBox;
  /** In index order; all of one size. */
  frames: readonly StoredFrame[];
}

/** Rows per INSERT: keeps every statement well under PostgreSQL's 65,535 bind parameters. */
const rowsPerInsert = 1000;

/** The scene, its frames and the Blob rows they reference, in one transaction. */
export async function createSceneRows(
  prisma: PrismaClient,
  references: BlobReferences,
  { ownerId, input, format, aabbScale, bounds, frames }: NewScene,
): Promise<SceneRow> {
  const blobs = frames.flatMap((frame) => [frame.image, frame.thumbnail]);
  const sizeBytes = [...new Map(blobs.map((blob) => [blob.sha256, blob.sizeBytes])).values()].reduce(
    (a, b) => a + b,
    0,
  );
  return prisma.$transaction(
    async (tx) => {
      await references.record(tx, blobs, { ownerId });
      const scene = await tx.scene.create({
        data: {
          ownerId,
          name: input.name,
          description: input.description,
          public: input.public,
          background: input.background,
          format,
          width: frames[0]!.width,
          height: frames[0]!.height,
          frameCount: frames.length,
          boundsMin: bounds.min,
          boundsMax: bounds.max,
          aabbScale,
          sizeBytes: BigInt(sizeBytes),
        },
      });
      for (let start = 0; start < frames.length; start += rowsPerInsert) {
        await tx.sceneFrame.createMany({
          data: frames.slice(start, start + rowsPerInsert).map((frame, offset) => ({
            sceneId: scene.id,
            index: start + offset,
            filePath: frame.listed.filePath,
            split: frame.listed.split,
            sha256: frame.image.sha256,
            thumbnailSha256: frame.thumbnail.sha256,
            width: frame.width,
            height: frame.height,
            cameraModel: frame.camera.model,
            fx: frame.camera.fx,
            fy: frame.camera.fy,
            cx: frame.camera.cx,
            cy: frame.camera.cy,
            k1: frame.camera.k1,
            k2: frame.camera.k2,
            p1: frame.camera.p1,
            p2: frame.camera.p2,
            transform: frame.listed.transform,
          })),
        });
      }
      return scene;
    },
    { maxWait: 10_000, timeout: 120_000 },
  );
}

import { Prisma } from "../generated/prisma/client";
import type { SqlRunner } from "./quota-limits";

/**
 * The sha256 of every blob a user's objects reference: their datasets' samples' images, their
 * models' files (every version), their scenes' frames (image and thumbnail), and their
 * reconstructions' input, checkpoint and artifacts. Not counted: the prediction log's images and
 * inference artifacts (they expire), training reports and training pairs (written by the
 * platform, not uploaded), and samples' thumbnails: the platform makes those when anyone first
 * views a sample, so counting them would let any viewer of a public dataset push its owner over
 * the limit. UNION makes them distinct: a blob two of a user's datasets share counts once; a
 * blob two users reference counts for each of them.
 */
function ownedBlobs(userId: string): Prisma.Sql {
  const owner = Prisma.sql`${userId}::uuid`;
  return Prisma.sql`
    SELECT s."sha256" FROM "Sample" s JOIN "Dataset" d ON d."id" = s."datasetId" WHERE d."ownerId" = ${owner}
    UNION SELECT f."sha256" FROM "ModelFile" f JOIN "ModelVersion" v ON v."id" = f."versionId"
      JOIN "Model" m ON m."id" = v."modelId" WHERE m."ownerId" = ${owner}
    UNION SELECT fr."sha256" FROM "SceneFrame" fr JOIN "Scene" sc ON sc."id" = fr."sceneId" WHERE sc."ownerId" = ${owner}
    UNION SELECT fr."thumbnailSha256" FROM "SceneFrame" fr JOIN "Scene" sc ON sc."id" = fr."sceneId"
      WHERE sc."ownerId" = ${owner}
    UNION SELECT r."inputSha256" FROM "Reconstruction" r WHERE r."ownerId" = ${owner} AND r."inputSha256" IS NOT NULL
    UNION SELECT r."checkpointSha256" FROM "Reconstruction" r
      WHERE r."ownerId" = ${owner} AND r."checkpointSha256" IS NOT NULL
    UNION SELECT a."sha256" FROM "ReconstructionArtifact" a JOIN "Reconstruction" r ON r."id" = a."reconstructionId"
      WHERE r."ownerId" = ${owner}`;
}

/** Bytes of the distinct blobs the user's objects reference now. */
export async function storedBytesOf(db: SqlRunner, userId: string): Promise<number> {
  const rows = await db.$queryRaw<Array<{ bytes: bigint }>>`
    SELECT COALESCE(SUM(b."sizeBytes"), 0)::bigint AS bytes FROM "Blob" b
    WHERE b."sha256" IN (${ownedBlobs(userId)})`;
  return Number(rows[0]?.bytes ?? 0);
}

export interface BlobToStore {
  sha256: string;
  sizeBytes: number;
}

/**
 * What the user stores now, and what `blobs` add to it: those the user's objects do not reference
 * yet (whether or not another user's do), each counted once. The blobs' own sizes are used, as
 * their Blob rows may not exist yet.
 */
export async function storedBytesWith(
  db: SqlRunner,
  userId: string,
  blobs: readonly BlobToStore[],
): Promise<{ used: number; adding: number }> {
  const unique = [...new Map(blobs.map((blob) => [blob.sha256, blob.sizeBytes])).entries()];
  const rows = await db.$queryRaw<Array<{ used: bigint; adding: bigint }>>`
    WITH owned AS (${ownedBlobs(userId)})
    SELECT
      (SELECT COALESCE(SUM(b."sizeBytes"), 0) FROM "Blob" b WHERE b."sha256" IN (SELECT "sha256" FROM owned))::bigint AS used,
      (SELECT COALESCE(SUM(n.size), 0) FROM unnest(${unique.map(([sha256]) => sha256)}::text[],
          ${unique.map(([, size]) => String(size))}::bigint[]) AS n(sha256, size)
        WHERE NOT EXISTS (SELECT 1 FROM owned WHERE owned."sha256" = n.sha256))::bigint AS adding`;
  return { used: Number(rows[0]?.used ?? 0), adding: Number(rows[0]?.adding ?? 0) };
}

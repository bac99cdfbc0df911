import type { PrismaClient } from "../generated/prisma/client";
import { AppError, ErrorCode } from "../errors";
import type { BlobStore } from "../storage/blob-store";
import type { Logger } from "../logger";

type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export interface StoredBlob {
  sha256: string;
  sizeBytes: number;
}

/**
 * Keeps the blob store and the `Blob` rows in step. A blob file may be deleted only while nothing
 * references it; both sides take a per-blob advisory lock so an upload that found the bytes already
 * stored cannot reference them while another request is deleting them.
 */
export class BlobReferences {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly logger: Logger,
  ) {}

  /** Inside the transaction that inserts the referencing rows. */
  async record(tx: Transaction, blobs: StoredBlob[]): Promise<void> {
    const unique = [...new Map(blobs.map((b) => [b.sha256, b])).values()].sort((a, b) =>
      a.sha256.localeCompare(b.sha256),
    );
    for (const blob of unique) {
      await lockBlob(tx, blob.sha256);
      if (!(await this.store.has(blob.sha256))) {
        throw new AppError(ErrorCode.CONFLICT, "A file was removed while this upload ran; send it again");
      }
    }
    await tx.blob.createMany({
      data: unique.map((b) => ({ sha256: b.sha256, sizeBytes: BigInt(b.sizeBytes) })),
      skipDuplicates: true,
    });
  }

  /** Deletes the blobs among `sha256s` that no row references any more. Never throws. */
  async release(sha256s: Iterable<string>): Promise<void> {
    for (const sha256 of new Set(sha256s)) {
      try {
        await this.prisma.$transaction(async (tx) => {
          await lockBlob(tx, sha256);
          if (await isReferenced(tx, sha256)) return;
          await tx.blob.deleteMany({ where: { sha256 } });
          // Unlinked while the lock is held: a concurrent record() then sees the file missing.
          await this.store.delete(sha256);
        });
      } catch (error) {
        this.logger.error({ err: error, sha256 }, "could not release a blob; it stays until the next sweep");
      }
    }
  }
}

async function lockBlob(tx: Transaction, sha256: string) {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${sha256}, 0))::text`;
}

async function isReferenced(tx: Transaction, sha256: string): Promise<boolean> {
  // Every table with a foreign key to "Blob" must be listed here.
  const rows = await tx.$queryRaw<Array<{ referenced: boolean }>>`
    SELECT EXISTS (SELECT 1 FROM "ModelFile" WHERE "sha256" = ${sha256})
        OR EXISTS (SELECT 1 FROM "InferenceArtifact" WHERE "sha256" = ${sha256})
        OR EXISTS (SELECT 1 FROM "Sample" WHERE "sha256" = ${sha256})
        OR EXISTS (SELECT 1 FROM "Sample" WHERE "thumbnailSha256" = ${sha256})
        OR EXISTS (SELECT 1 FROM "TrainingPair" WHERE "originalSha256" = ${sha256})
        OR EXISTS (SELECT 1 FROM "TrainingPair" WHERE "transformedSha256" = ${sha256}) AS referenced`;
  return rows[0]?.referenced ?? false;
}

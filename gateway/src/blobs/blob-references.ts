import { Prisma, type PrismaClient } from "../generated/prisma/client";
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
    const bySha256 = new Map(blobs.map((b) => [b.sha256, b]));
    const unique = inLockOrder(bySha256.keys()).map((sha256) => bySha256.get(sha256)!);
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
    await this.releaseEach(new Set(sha256s));
  }

  /**
   * Releases up to `limit` Blob rows (and their files) that no row references: a crash between
   * deleting the referencing rows and release() leaves them. Returns those released.
   */
  async releaseUnreferenced(limit: number): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ sha256: string }>>`
      SELECT b."sha256" FROM "Blob" b
      WHERE NOT (${referencedCondition(Prisma.sql`b."sha256"`)})
      ORDER BY b."createdAt" LIMIT ${limit}`;
    return this.releaseEach(rows.map((row) => row.sha256));
  }

  /** Every Blob row's sha256, ascending, read a page at a time. */
  async *recorded(pageSize = 1000): AsyncIterable<string> {
    for (let after = ""; ;) {
      const page = await this.prisma.blob.findMany({
        where: { sha256: { gt: after } },
        orderBy: { sha256: "asc" },
        take: pageSize,
        select: { sha256: true },
      });
      for (const row of page) yield row.sha256;
      if (page.length < pageSize) return;
      after = page.at(-1)!.sha256;
    }
  }

  /**
   * Deletes the blob files among `sha256s` that no Blob row names, under each blob's lock: a
   * record() of the same blob either committed first (its row keeps the file) or then finds the
   * file gone and refuses with CONFLICT. Returns the ones removed.
   */
  async removeUnrecorded(sha256s: Iterable<string>): Promise<string[]> {
    const candidates = inLockOrder(sha256s);
    if (candidates.length === 0) return [];
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`
        SELECT pg_advisory_xact_lock(hashtextextended(locked.sha256, 0))::text
        FROM unnest(${candidates}::text[]) WITH ORDINALITY AS locked(sha256, position)
        ORDER BY locked.position`;
      const rows = await tx.blob.findMany({
        where: { sha256: { in: candidates } },
        select: { sha256: true },
      });
      const recorded = new Set(rows.map((row) => row.sha256));
      const removed: string[] = [];
      for (const sha256 of candidates) {
        if (!recorded.has(sha256) && (await this.store.delete(sha256))) removed.push(sha256);
      }
      return removed;
    }, sweepTransactionOptions);
  }

  /** The blobs released; one that fails is logged and left for the next sweep. */
  private async releaseEach(sha256s: Iterable<string>): Promise<string[]> {
    const released: string[] = [];
    for (const sha256 of sha256s) {
      try {
        const deleted = await this.prisma.$transaction(async (tx) => {
          await lockBlob(tx, sha256);
          if (await isReferenced(tx, sha256)) return false;
          await tx.blob.deleteMany({ where: { sha256 } });
          // Unlinked while the lock is held: a concurrent record() then sees the file missing.
          await this.store.delete(sha256);
          return true;
        });
        if (deleted) released.push(sha256);
      } catch (error) {
        this.logger.error({ err: error, sha256 }, "could not release a blob; it stays until the next sweep");
      }
    }
    return released;
  }
}

/** A batch may wait for the locks of an upload committing thousands of images. */
const sweepTransactionOptions = { timeout: 60_000 };

/** One order for every transaction that locks several blobs, so two of them never deadlock. */
function inLockOrder(sha256s: Iterable<string>): string[] {
  return [...new Set(sha256s)].sort((a, b) => a.localeCompare(b));
}

async function lockBlob(tx: Transaction, sha256: string) {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${sha256}, 0))::text`;
}

/** Every column with a foreign key to "Blob": a blob may go only while none of them names it. */
const referencingColumns = [
  ["ModelFile", "sha256"],
  ["InferenceArtifact", "sha256"],
  ["Sample", "sha256"],
  ["Sample", "thumbnailSha256"],
  ["TrainingPair", "originalSha256"],
  ["TrainingPair", "transformedSha256"],
  ["SceneFrame", "sha256"],
  ["SceneFrame", "thumbnailSha256"],
  ["Reconstruction", "inputSha256"],
  ["Reconstruction", "checkpointSha256"],
  ["ReconstructionArtifact", "sha256"],
  ["Prediction", "imageSha256"],
] as const;

/** Blobs named inside JSON columns: a training job's report files ({ html, json, png: [{ sha256 }] }). */
const jsonReferences = (sha256: Prisma.Sql): Prisma.Sql[] => [
  Prisma.sql`EXISTS (SELECT 1 FROM "TrainingJob" WHERE report->>'html' = ${sha256} OR report->>'json' = ${sha256}
    OR report->'png' @> jsonb_build_array(jsonb_build_object('sha256', ${sha256}::text)))`,
];

function referencedCondition(sha256: Prisma.Sql): Prisma.Sql {
  return Prisma.join(
    [
      ...referencingColumns.map(
        ([table, column]) =>
          Prisma.sql`EXISTS (SELECT 1 FROM ${Prisma.raw(`"${table}"`)} WHERE ${Prisma.raw(`"${column}"`)} = ${sha256})`,
      ),
      ...jsonReferences(sha256),
    ],
    " OR ",
  );
}

async function isReferenced(tx: Transaction, sha256: string): Promise<boolean> {
  const rows = await tx.$queryRaw<Array<{ referenced: boolean }>>`
    SELECT (${referencedCondition(Prisma.sql`${sha256}`)}) AS referenced`;
  return rows[0]?.referenced ?? false;
}

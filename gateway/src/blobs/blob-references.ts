import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { AppError, ErrorCode } from "../errors";
import type { BlobStore } from "../storage/blob-store";
import type { Logger } from "../logger";

type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export interface StoredBlob {
  sha256: string;
  sizeBytes: number;
}

/** The per-user stored-bytes limit (quotas/quotas.service.ts), admitted at the commit point. */
export interface StoredBytesQuota {
  admitBlobs(tx: Transaction, ownerId: string, blobs: readonly StoredBlob[]): Promise<void>;
}

/**
 * Keeps the blob store and the `Blob` rows in step. A blob file may be deleted only while nothing
 * references it; both sides take the advisory lock of the blob's bucket (its first two hex
 * characters, so 256 buckets) so an upload that found the bytes already stored cannot reference
 * them while another request is deleting them. Buckets rather than one lock per blob: a lock per
 * blob made an upload of 50,000 images take 50,000 locks in one transaction and overflow
 * PostgreSQL's shared lock table (53200 out of shared memory); no transaction here takes more than
 * 256. The price is that two transactions touching blobs of the same bucket wait for each other
 * even when the blobs differ.
 */
export class BlobReferences {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly logger: Logger,
    private readonly quota: StoredBytesQuota | null = null,
  ) {}

  /**
   * Inside the transaction that inserts the referencing rows. Takes every bucket the blobs fall in,
   * in one statement, then checks under those locks that each file is still stored: a release or
   * sweep that deleted one either committed first (then the file is missing: CONFLICT) or waits
   * until this transaction commits (then it sees the referencing rows and keeps the file).
   * `charge.ownerId`: the user whose objects the rows are, admitted against their stored-bytes
   * quota first (QUOTA_EXCEEDED rolls the transaction back; the caller releases the files).
   */
  async record(tx: Transaction, blobs: StoredBlob[], charge?: { ownerId: string }): Promise<void> {
    const bySha256 = new Map(blobs.map((b) => [b.sha256, b]));
    if (bySha256.size === 0) return;
    if (charge && this.quota) await this.quota.admitBlobs(tx, charge.ownerId, [...bySha256.values()]);
    const unique = [...bySha256.values()];
    const sha256s = [...bySha256.keys()];
    await lockBuckets(tx, sha256s);
    const missing = await someMissing(this.store, sha256s);
    if (missing) {
      throw new AppError(ErrorCode.CONFLICT, "A file was removed while this upload ran; send it again");
    }
    // One statement for any number of rows (createMany would split it by Prisma's parameter limit).
    await tx.$executeRaw`
      INSERT INTO "Blob" ("sha256", "sizeBytes")
      SELECT * FROM unnest(${sha256s}::text[], ${unique.map((b) => String(b.sizeBytes))}::bigint[])
      ON CONFLICT ("sha256") DO NOTHING`;
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
   * Deletes the blob files among `sha256s` that no Blob row names, under their buckets' locks: a
   * record() of the same blob either committed first (its row keeps the file) or then finds the
   * file gone and refuses with CONFLICT. Returns the ones removed.
   */
  async removeUnrecorded(sha256s: Iterable<string>): Promise<string[]> {
    const candidates = [...new Set(sha256s)].sort();
    if (candidates.length === 0) return [];
    return this.prisma.$transaction(async (tx) => {
      await lockBuckets(tx, candidates);
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
          await lockBuckets(tx, [sha256]);
          if (await isReferenced(tx, sha256)) return false;
          await tx.blob.deleteMany({ where: { sha256 } });
          // Unlinked while the lock is held: a concurrent record() then sees the file missing.
          await this.store.delete(sha256);
          return true;
        }, sweepTransactionOptions);
        if (deleted) released.push(sha256);
      } catch (error) {
        this.logger.error({ err: error, sha256 }, "could not release a blob; it stays until the next sweep");
      }
    }
    return released;
  }
}

/**
 * A release or a sweep batch may wait for a bucket held by an upload committing thousands of
 * images (any blob of the same bucket, not only the same blob), longer than Prisma's 5-s default.
 */
const sweepTransactionOptions = { timeout: 60_000 };

/** Files checked at once: enough to hide a stat's latency, few enough not to flood the disk's queue. */
const STAT_CONCURRENCY = 16;

/** The lock that guards every blob whose sha256 starts with the same two hex characters. */
const bucketOf = (sha256: string): string => `blob:${sha256.slice(0, 2)}`;

/**
 * Takes the buckets of `sha256s` in one statement, in one order for every transaction (sorted in
 * code, applied by position, so the database's collation cannot change it): two transactions that
 * lock several buckets never deadlock.
 */
async function lockBuckets(tx: Transaction, sha256s: Iterable<string>): Promise<void> {
  const buckets = [...new Set(Array.from(sha256s, bucketOf))].sort();
  await tx.$queryRaw`
    SELECT pg_advisory_xact_lock(hashtextextended(locked.bucket, 0))::text
    FROM unnest(${buckets}::text[]) WITH ORDINALITY AS locked(bucket, position)
    ORDER BY locked.position`;
}

/** Whether any of `sha256s` is not in the store, asking at most STAT_CONCURRENCY at a time. */
async function someMissing(store: BlobStore, sha256s: readonly string[]): Promise<boolean> {
  let next = 0;
  let missing = false;
  const worker = async () => {
    while (!missing && next < sha256s.length) {
      if (!(await store.has(sha256s[next++]!))) missing = true;
    }
  };
  await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, sha256s.length) }, worker));
  return missing;
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

import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import type { BlobReferences } from "../../blobs/blob-references";
import type { CheckedDatasetInput } from "./dataset-input";
import type { AcceptedImage } from "./ingest-images";
import type { LayoutSkip } from "./archive-layout";
import type { DatasetUploadResult, SkippedFile } from "../datasets.types";
import { isUnlabeled } from "../pool/unlabeled-pool";

/**
 * An image with what the upload said about it besides its class (a CSV's split and extra
 * columns). A className of `_unlabeled` (unlabeledFolder) puts it in the version's unlabeled pool.
 */
export interface VersionImage extends AcceptedImage {
  split?: string | null;
  metadata?: Record<string, string> | null;
}

export interface NewVersion {
  ownerId: string;
  input: CheckedDatasetInput;
  images: readonly VersionImage[];
  skipped: readonly LayoutSkip[];
  /** Where the version came from; ZIP unless said. */
  source?: "ZIP" | "CSV" | "IMPORT";
}

type Transaction = Prisma.TransactionClient;

/**
 * Work the caller wants committed with the version it is about to write (the embedding run and
 * its job, see uploadWithEmbeddings). Carried by the async context so every upload path (ZIP,
 * CSV, the imports) honours it without each threading it through.
 */
export const versionCommitHook = new AsyncLocalStorage<
  (tx: Transaction, versionId: string) => Promise<unknown>
>();

/** Rows per INSERT: bounds the size of one statement's arrays at 50,000-image uploads. */
const rowsPerInsert = 5000;

/**
 * Writes a whole version in one transaction: the dataset (created, or its details updated), the
 * classes (by name), one sample per image, the memberships and the version row, plus the Blob rows
 * its samples reference. Readers see all of it or none of it.
 *
 * Uploads to one (owner, name) are serialised by a transaction-scoped advisory lock taken first:
 * two at once become versions N and N+1 instead of one failing on the unique name or number.
 */
export async function createVersion(
  prisma: PrismaClient,
  references: BlobReferences,
  { ownerId, input, images, skipped, source = "ZIP" }: NewVersion,
) {
  return prisma.$transaction(
    async (tx) => {
      await lockDataset(tx, ownerId, input.name);
      const details = { description: input.description, tags: input.tags, isPublic: input.isPublic };
      const dataset = await tx.dataset.upsert({
        where: { ownerId_name: { ownerId, name: input.name } },
        create: { ownerId, name: input.name, ...details, tags: input.tags ?? [] },
        update: details,
      });
      const { _max } = await tx.datasetVersion.aggregate({
        where: { datasetId: dataset.id },
        _max: { number: true },
      });
      const classNames = labelledClassNames(images);
      const unlabeled = images.filter((image) => isUnlabeled(image.className)).length;
      await references.record(
        tx,
        images.map((image) => ({ sha256: image.image.sha256, sizeBytes: image.sizeBytes })),
        { ownerId },
      );
      const version = await tx.datasetVersion.create({
        data: {
          datasetId: dataset.id,
          number: (_max.number ?? 0) + 1,
          source,
          createdById: ownerId,
          imageCount: images.length - unlabeled,
          classCount: classNames.length,
          unlabeledCount: unlabeled,
          skipped: skipped.map(({ path, reason }) => ({ path, reason })),
        },
      });
      await insertSamples(tx, dataset.id, version.id, images);
      await versionCommitHook.getStore()?.(tx, version.id);
      return { dataset, version };
    },
    // The lock may wait for another upload's transaction; the inserts themselves take well under this.
    { maxWait: 10_000, timeout: 120_000 },
  );
}

/** What uploadDataset, uploadDatasetCsv and importDataset answer for a version createVersion wrote. */
export function uploadResult(
  created: Awaited<ReturnType<typeof createVersion>>,
  skipped: SkippedFile[],
): DatasetUploadResult {
  const { dataset, version } = created;
  return {
    dataset,
    version: { ...version, skipped: version.skipped as unknown as SkippedFile[] },
    imageCount: version.imageCount,
    classCount: version.classCount,
    skipped,
  };
}

/**
 * Serialises every change to one dataset's versions: uploads and edits take it first, so two at
 * once get numbers N and N+1. Keyed by (owner, name) because the first upload has no dataset id yet.
 */
export async function lockDataset(tx: Transaction, ownerId: string, name: string): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`dataset:${ownerId}:${name}`}, 0))::text`;
}

/** The dataset's class ids by name, creating the classes it lacks. */
export async function classIdsByName(
  tx: Transaction,
  datasetId: string,
  names: readonly string[],
): Promise<Map<string, string>> {
  await tx.datasetClass.createMany({
    data: names.map((name) => ({ datasetId, name })),
    skipDuplicates: true,
  });
  const classes = await tx.datasetClass.findMany({
    where: { datasetId, name: { in: [...names] } },
    select: { id: true, name: true },
  });
  return new Map(classes.map((row) => [row.name, row.id]));
}

/** The class names of the images that are not in the unlabeled pool, each once. */
function labelledClassNames(images: readonly VersionImage[]): string[] {
  return [...new Set(images.map((image) => image.className).filter((name) => !isUnlabeled(name)))];
}

/**
 * New samples of the dataset, one per image: a member of `versionId` under its class, or a sample
 * of the version's unlabeled pool. One INSERT … SELECT FROM unnest(arrays) per table and chunk:
 * Prisma's createMany compiled and sent each row's values separately, which cost as much as
 * checking the images (7.8 s for 2,000 rows on PGlite, against well under a second for this).
 * Floats travel as their shortest round-trip text, so every stored value is the same.
 */
export async function insertSamples(
  tx: Transaction,
  datasetId: string,
  versionId: string,
  images: readonly VersionImage[],
): Promise<void> {
  const names = labelledClassNames(images);
  const classIds = names.length > 0 ? await classIdsByName(tx, datasetId, names) : new Map<string, string>();
  const samples = images.map((image) => ({ id: randomUUID(), image }));
  for (const batch of chunks(samples)) {
    const column = <T>(pick: (image: VersionImage) => T) => batch.map(({ image }) => pick(image));
    await tx.$executeRaw`
      INSERT INTO "Sample" ("id", "datasetId", "sha256", "originalPath", "sizeBytes", "format", "width",
        "height", "perceptualHash", "blurScore", "meanLuma", "clippedDarkFraction", "clippedBrightFraction",
        "frameCount")
      SELECT s.id, ${datasetId}::uuid, s.sha256, s.path, s.size, s.format, s.width, s.height, s.hash, s.blur,
        s.luma, s.dark, s.bright, s.frames
      FROM unnest(
        ${batch.map(({ id }) => id)}::uuid[], ${column((i) => i.image.sha256)}::text[],
        ${column((i) => i.path)}::text[], ${column((i) => String(i.sizeBytes))}::bigint[],
        ${column((i) => i.image.format)}::text[], ${column((i) => i.image.width)}::int[],
        ${column((i) => i.image.height)}::int[], ${column((i) => i.image.perceptualHash)}::text[],
        ${column((i) => i.image.blurScore)}::float8[], ${column((i) => i.image.exposure.meanLuma)}::float8[],
        ${column((i) => i.image.exposure.clippedDarkFraction)}::float8[],
        ${column((i) => i.image.exposure.clippedBrightFraction)}::float8[],
        ${column((i) => i.image.frameCount)}::int[]
      ) AS s(id, sha256, path, size, format, width, height, hash, blur, luma, dark, bright, frames)`;
    const members = batch.filter(({ image }) => !isUnlabeled(image.className));
    const pool = batch.filter(({ image }) => isUnlabeled(image.className));
    const split = (rows: typeof batch) => rows.map(({ image }) => image.split ?? null);
    const metadata = (rows: typeof batch) =>
      rows.map(({ image }) => (image.metadata ? JSON.stringify(image.metadata) : null));
    if (members.length > 0) {
      await tx.$executeRaw`
        INSERT INTO "VersionSample" ("versionId", "sampleId", "classId", "split", "metadata")
        SELECT ${versionId}::uuid, m.sample, m.class, m.split, m.metadata
        FROM unnest(
          ${members.map(({ id }) => id)}::uuid[],
          ${members.map(({ image }) => classIds.get(image.className)!)}::uuid[],
          ${split(members)}::text[], ${metadata(members)}::jsonb[]
        ) AS m(sample, class, split, metadata)`;
    }
    if (pool.length > 0) {
      await tx.$executeRaw`
        INSERT INTO "UnlabeledSample" ("versionId", "sampleId", "split", "metadata")
        SELECT ${versionId}::uuid, u.sample, u.split, u.metadata
        FROM unnest(${pool.map(({ id }) => id)}::uuid[], ${split(pool)}::text[], ${metadata(pool)}::jsonb[])
          AS u(sample, split, metadata)`;
    }
  }
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += rowsPerInsert) {
    yield items.slice(start, start + rowsPerInsert);
  }
}

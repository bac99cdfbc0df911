import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../../generated/prisma/client";
import type { BlobReferences } from "../../blobs/blob-references";
import type { CheckedDatasetInput } from "./dataset-input";
import type { AcceptedImage } from "./ingest-images";
import type { LayoutSkip } from "./archive-layout";

export interface NewVersion {
  ownerId: string;
  input: CheckedDatasetInput;
  images: readonly AcceptedImage[];
  skipped: readonly LayoutSkip[];
}

/** Rows per INSERT: keeps every statement well under PostgreSQL's 65,535 bind parameters. */
const rowsPerInsert = 1000;

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
  { ownerId, input, images, skipped }: NewVersion,
) {
  return prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`dataset:${ownerId}:${input.name}`}, 0))::text`;
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
      const classNames = [...new Set(images.map((image) => image.className))];
      await tx.datasetClass.createMany({
        data: classNames.map((name) => ({ datasetId: dataset.id, name })),
        skipDuplicates: true,
      });
      const classes = await tx.datasetClass.findMany({
        where: { datasetId: dataset.id, name: { in: classNames } },
        select: { id: true, name: true },
      });
      const classIds = new Map(classes.map((row) => [row.name, row.id]));
      await references.record(
        tx,
        images.map((image) => ({ sha256: image.image.sha256, sizeBytes: image.sizeBytes })),
      );
      const version = await tx.datasetVersion.create({
        data: {
          datasetId: dataset.id,
          number: (_max.number ?? 0) + 1,
          source: "ZIP",
          createdById: ownerId,
          imageCount: images.length,
          classCount: classNames.length,
          skipped: skipped.map(({ path, reason }) => ({ path, reason })),
        },
      });
      const samples = images.map((image) => ({ id: randomUUID(), image }));
      for (const batch of chunks(samples)) {
        await tx.sample.createMany({
          data: batch.map(({ id, image: { path, sizeBytes, image } }) => ({
            id,
            datasetId: dataset.id,
            sha256: image.sha256,
            originalPath: path,
            sizeBytes: BigInt(sizeBytes),
            format: image.format,
            width: image.width,
            height: image.height,
            perceptualHash: image.perceptualHash,
            blurScore: image.blurScore,
            meanLuma: image.exposure.meanLuma,
            clippedDarkFraction: image.exposure.clippedDarkFraction,
            clippedBrightFraction: image.exposure.clippedBrightFraction,
            frameCount: image.frameCount,
          })),
        });
        await tx.versionSample.createMany({
          data: batch.map(({ id, image }) => ({
            versionId: version.id,
            sampleId: id,
            classId: classIds.get(image.className)!,
            split: null,
          })),
        });
      }
      return { dataset, version };
    },
    // The lock may wait for another upload's transaction; the inserts themselves take well under this.
    { maxWait: 10_000, timeout: 120_000 },
  );
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let start = 0; start < items.length; start += rowsPerInsert) {
    yield items.slice(start, start + rowsPerInsert);
  }
}

import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { PrismaClient } from "../../../src/generated/prisma/client";
import type { BlobStore } from "../../../src/storage/blob-store";

/** One sample of a seeded version: its bytes (any text; equal text, equal sha256) and class (null: the pool). */
export interface SeedItem {
  bytes: string;
  className: string | null;
  /** Reuse a sample of an earlier version (as edits do) instead of making a new one (as uploads do). */
  sampleId?: string;
}

export interface SeededDataset {
  id: string;
  ownerId: string;
  name: string;
  versions: number;
}

export async function seedDataset(prisma: PrismaClient, name: string): Promise<SeededDataset> {
  const owner = await prisma.user.upsert({
    where: { handle: "curator" },
    create: { handle: "curator" },
    update: {},
  });
  const dataset = await prisma.dataset.create({ data: { ownerId: owner.id, name } });
  return { id: dataset.id, ownerId: owner.id, name, versions: 0 };
}

/**
 * A version written as ingestion writes one (counts included), with the blobs in `store` and their
 * rows; returns its id and its samples' ids in the order given.
 */
export async function seedVersion(
  prisma: PrismaClient,
  store: BlobStore,
  dataset: SeededDataset,
  items: readonly SeedItem[],
): Promise<{ versionId: string; sampleIds: string[] }> {
  const sampleIds = items.map((item) => item.sampleId ?? randomUUID());
  const fresh = items.flatMap((item, index) => (item.sampleId ? [] : [{ item, id: sampleIds[index]! }]));
  const blobs = await Promise.all(
    fresh.map(({ item }) => store.put(Readable.from([Buffer.from(item.bytes)]))),
  );
  await prisma.blob.createMany({
    data: blobs.map((blob) => ({ sha256: blob.sha256, sizeBytes: BigInt(blob.sizeBytes) })),
    skipDuplicates: true,
  });
  await prisma.sample.createMany({
    data: fresh.map(({ item, id }, index) => ({
      id,
      datasetId: dataset.id,
      sha256: blobs[index]!.sha256,
      originalPath: `${item.className ?? "_unlabeled"}/${item.bytes}.png`,
      sizeBytes: BigInt(blobs[index]!.sizeBytes),
      format: "png",
      width: 8,
      height: 8,
      perceptualHash: "0000000000000000",
      blurScore: 100,
      meanLuma: 0.5,
      clippedDarkFraction: 0,
      clippedBrightFraction: 0,
    })),
  });
  const labelled = items.flatMap((item, index) =>
    item.className ? [{ index, className: item.className }] : [],
  );
  const names = [...new Set(labelled.map((item) => item.className))];
  await prisma.datasetClass.createMany({
    data: names.map((name) => ({ datasetId: dataset.id, name })),
    skipDuplicates: true,
  });
  const classes = await prisma.datasetClass.findMany({
    where: { datasetId: dataset.id, name: { in: names } },
  });
  const classIds = new Map(classes.map((row) => [row.name, row.id]));
  dataset.versions += 1;
  const version = await prisma.datasetVersion.create({
    data: {
      datasetId: dataset.id,
      number: dataset.versions,
      source: "ZIP",
      createdById: dataset.ownerId,
      imageCount: labelled.length,
      classCount: classIds.size,
      unlabeledCount: items.length - labelled.length,
      samples: {
        create: labelled.map(({ index, className }) => ({
          sampleId: sampleIds[index]!,
          classId: classIds.get(className)!,
        })),
      },
      unlabeled: {
        create: items.flatMap((item, index) => (item.className ? [] : [{ sampleId: sampleIds[index]! }])),
      },
    },
  });
  return { versionId: version.id, sampleIds };
}

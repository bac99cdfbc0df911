import path from "node:path";
import { Readable } from "node:stream";
import { LocalBlobStore } from "../../../src/storage/local-blob-store";
import { generateTextureDataset, type DatasetFile, type GeneratedImage } from "../../support/texture-dataset";
import type { TestGateway } from "../../support/gateway";

export interface SeedOptions {
  ownerHandle: string;
  name: string;
  description?: string;
  tags?: string[];
  isPublic?: boolean;
  /** Adds version 2 (see seedDataset). */
  withEdit?: boolean;
  /** Image sides are drawn from this range (default 96 to 160 px). */
  sides?: [min: number, max: number];
}

export interface SeededDataset {
  id: string;
  v1: string;
  v2: string | null;
  classIds: Record<string, string>;
  /** Sample ids by path, in the order the samples' paths sort. */
  sampleIds: Record<string, string>;
  files: DatasetFile[];
}

/**
 * A dataset written the way ingestion leaves one: blobs in the gateway's store with their `Blob`
 * rows, samples, classes and a complete version. Version 1 holds 3 classes × 4 images; every
 * fourth image is in the "test" split, the rest in "train". Version 2 (with `withEdit`) drops 2
 * samples, moves 1 to another class and adds 3 new ones.
 */
export async function seedDataset(gateway: TestGateway, options: SeedOptions): Promise<SeededDataset> {
  const { prisma } = gateway;
  const store = new LocalBlobStore(path.join(gateway.dataDir, "blobs"));
  const owner = await prisma.user.findUniqueOrThrow({ where: { handle: options.ownerHandle } });
  const generated = await generateTextureDataset({
    classes: 3,
    imagesPerClass: 5,
    seed: 7,
    minSide: options.sides?.[0],
    maxSide: options.sides?.[1],
  });
  const dataset = await prisma.dataset.create({
    data: {
      ownerId: owner.id,
      name: options.name,
      description: options.description ?? null,
      tags: options.tags ?? [],
      isPublic: options.isPublic ?? false,
    },
  });
  const classIds: Record<string, string> = {};
  for (const name of generated.classNames) {
    classIds[name] = (await prisma.datasetClass.create({ data: { datasetId: dataset.id, name } })).id;
  }
  const sampleIds: Record<string, string> = {};
  for (const [index, image] of generated.images.entries()) {
    const bytes = generated.files[index]!.bytes;
    sampleIds[image.path] = await insertSample(gateway, store, dataset.id, image, bytes);
  }
  // The fifth image of each class is held back for version 2's additions.
  const second = generated.classNames[1]!;
  const inV1 = generated.images.filter((image) => !image.path.includes("-004."));
  const v1 = await insertVersion(gateway, dataset.id, owner.id, 1, null, sampleIds, classIds, inV1);
  let v2: string | null = null;
  if (options.withEdit) {
    const removed = new Set([inV1[0]!.path, inV1[5]!.path]);
    const relabelled = inV1[1]!.path;
    const kept = inV1
      .filter((image) => !removed.has(image.path))
      .map((image) => (image.path === relabelled ? { ...image, className: second } : image));
    const added = generated.images.filter((image) => image.path.includes("-004."));
    v2 = await insertVersion(gateway, dataset.id, owner.id, 2, v1, sampleIds, classIds, [...kept, ...added]);
  }
  return { id: dataset.id, v1, v2, classIds, sampleIds, files: generated.files };
}

async function insertSample(
  gateway: TestGateway,
  store: LocalBlobStore,
  datasetId: string,
  image: GeneratedImage,
  bytes: Buffer,
): Promise<string> {
  const blob = await store.put(Readable.from([bytes]));
  await gateway.prisma.blob.upsert({
    where: { sha256: blob.sha256 },
    create: { sha256: blob.sha256, sizeBytes: BigInt(blob.sizeBytes) },
    update: {},
  });
  const sample = await gateway.prisma.sample.create({
    data: {
      datasetId,
      sha256: blob.sha256,
      originalPath: image.path,
      sizeBytes: BigInt(bytes.length),
      format: image.format,
      width: image.width,
      height: image.height,
      perceptualHash: "0000000000000000",
      blurScore: 100,
      meanLuma: 0.5,
      clippedDarkFraction: 0,
      clippedBrightFraction: 0,
    },
  });
  return sample.id;
}

async function insertVersion(
  gateway: TestGateway,
  datasetId: string,
  createdById: string,
  number: number,
  parentId: string | null,
  sampleIds: Record<string, string>,
  classIds: Record<string, string>,
  images: GeneratedImage[],
): Promise<string> {
  const version = await gateway.prisma.datasetVersion.create({
    data: {
      datasetId,
      number,
      parentId,
      source: parentId ? "EDIT" : "ZIP",
      createdById,
      imageCount: images.length,
      classCount: new Set(images.map((image) => image.className)).size,
      samples: {
        create: images.map((image, index) => ({
          sampleId: sampleIds[image.path]!,
          classId: classIds[image.className]!,
          split: index % 4 === 0 ? "test" : "train",
          metadata: { index },
        })),
      },
    },
  });
  return version.id;
}

import { createHash } from "node:crypto";
import type { PrismaClient } from "../../../src/generated/prisma/client";
import type { QualitySample } from "../../../src/datasets/quality/quality-input";

/** One sample as a test wants it measured; anything left out is a clean 128 px image. */
export interface SeedSample {
  path: string;
  className: string;
  /** Samples with the same `bytes` get the same sha256 (defaults to the path). */
  bytes?: string;
  perceptualHash?: string;
  width?: number;
  height?: number;
  blurScore?: number;
  meanLuma?: number;
  clippedDarkFraction?: number;
  clippedBrightFraction?: number;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** 16 hex digits from the path: unrelated paths land about 32 bits apart, never within 6. */
export const hashOf = (path: string) => sha256(`phash:${path}`).slice(0, 16);

/** Flips the lowest `bits` bits of a perceptual hash. */
export function flipBits(hash: string, bits: number): string {
  const flipped = BigInt(`0x${hash}`) ^ ((1n << BigInt(bits)) - 1n);
  return flipped.toString(16).padStart(16, "0");
}

export function measured(sample: SeedSample, id = sample.path): QualitySample {
  return {
    id,
    classId: `class:${sample.className}`,
    className: sample.className,
    originalPath: sample.path,
    sha256: sha256(sample.bytes ?? sample.path),
    perceptualHash: sample.perceptualHash ?? hashOf(sample.path),
    width: sample.width ?? 128,
    height: sample.height ?? 128,
    blurScore: sample.blurScore ?? 100,
    meanLuma: sample.meanLuma ?? 0.5,
    clippedDarkFraction: sample.clippedDarkFraction ?? 0,
    clippedBrightFraction: sample.clippedBrightFraction ?? 0,
  };
}

/** `count` clean samples "<className>/<className>-NN.jpg". */
export const cleanClass = (className: string, count: number): SeedSample[] =>
  Array.from({ length: count }, (_, index) => ({
    path: `${className}/${className}-${String(index).padStart(2, "0")}.jpg`,
    className,
  }));

export interface SeededVersion {
  datasetId: string;
  versionId: string;
  /** Sample ids by path. */
  ids: Record<string, string>;
}

/** A dataset with one version holding these samples, written as ingestion writes them. */
export async function seedVersion(
  prisma: PrismaClient,
  name: string,
  samples: readonly SeedSample[],
  skipped: ReadonlyArray<{ path: string; reason: string }> = [],
): Promise<SeededVersion> {
  const owner = await prisma.user.upsert({
    where: { handle: "quality-owner" },
    create: { handle: "quality-owner" },
    update: {},
  });
  const dataset = await prisma.dataset.create({ data: { ownerId: owner.id, name } });
  const classNames = [...new Set(samples.map((s) => s.className))];
  const classIds = new Map<string, string>();
  for (const className of classNames) {
    const row = await prisma.datasetClass.create({ data: { datasetId: dataset.id, name: className } });
    classIds.set(className, row.id);
  }
  const rows = samples.map((sample) => measured(sample));
  await prisma.blob.createMany({
    data: [...new Set(rows.map((row) => row.sha256))].map((sha) => ({ sha256: sha, sizeBytes: 100n })),
    skipDuplicates: true,
  });
  const ids: Record<string, string> = {};
  for (const row of rows) {
    const { id, classId: _classId, className: _className, ...measures } = row;
    const created = await prisma.sample.create({
      data: { ...measures, datasetId: dataset.id, sizeBytes: 100n, format: "jpeg" },
    });
    ids[id] = created.id;
  }
  const version = await prisma.datasetVersion.create({
    data: {
      datasetId: dataset.id,
      number: 1,
      source: "ZIP",
      createdById: owner.id,
      imageCount: samples.length,
      classCount: classNames.length,
      skipped: skipped.map(({ path, reason }) => ({ path, reason })),
      samples: {
        create: samples.map((sample) => ({
          sampleId: ids[sample.path]!,
          classId: classIds.get(sample.className)!,
        })),
      },
    },
  });
  return { datasetId: dataset.id, versionId: version.id, ids };
}

/**
 * 20 samples with one of every per-image problem: cat 12, dog 6, bird 2 (imbalanced, bird too
 * small); cat-00/cat-01 the same bytes; dog-00/dog-01 2 bits apart with the same exposure; cat-02
 * 40 px wide; cat-03 blurred; dog-02 blown out; dog-03 nearly black. Plus one skipped file.
 */
export function messySamples(): SeedSample[] {
  const samples = [...cleanClass("cat", 12), ...cleanClass("dog", 6), ...cleanClass("bird", 2)];
  const change = (path: string, measures: Partial<SeedSample>) => {
    const index = samples.findIndex((s) => s.path === path);
    samples[index] = { ...samples[index]!, ...measures };
  };
  change("cat/cat-01.jpg", { bytes: "cat/cat-00.jpg", perceptualHash: hashOf("cat/cat-00.jpg") });
  change("dog/dog-01.jpg", { perceptualHash: flipBits(hashOf("dog/dog-00.jpg"), 2) });
  change("cat/cat-02.jpg", { width: 40 });
  change("cat/cat-03.jpg", { blurScore: 3 });
  change("dog/dog-02.jpg", { meanLuma: 0.95, clippedBrightFraction: 0.7 });
  change("dog/dog-03.jpg", { meanLuma: 0.03, clippedDarkFraction: 0.8 });
  return samples;
}

export const messySkipped = [{ path: "cat/notes.txt", reason: "not-an-image: The file is text" }];

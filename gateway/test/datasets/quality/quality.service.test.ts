import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createPgPool } from "../../../src/db/prisma";
import { embeddingJobKind } from "../../../src/datasets/embeddings/embedding-job-kind";
import { DatasetQualityService } from "../../../src/datasets/quality/quality.service";
import { VectorStore } from "../../../src/vectors/vector-store";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import { cleanClass, messySamples, messySkipped, seedVersion } from "./seed-quality";

let database: TestDatabase;
let pool: pg.Pool;
let quality: DatasetQualityService;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPgPool(database.url);
  quality = new DatasetQualityService(database.prisma);
});
afterAll(async () => {
  await pool?.end();
  await database?.close();
});

describe("DatasetQualityService", () => {
  it("computes the report on first read, stores it, and serves it stored afterwards", async () => {
    const seeded = await seedVersion(database.prisma, "messy", messySamples(), messySkipped);
    const report = await quality.reportFor(seeded.versionId);
    expect(report.usedEmbeddings).toBe(false);
    expect(report.embeddingSpace).toBeNull();
    expect(report.score).toBe(49.1);
    const id = (path: string) => seeded.ids[path]!;
    expect(Object.fromEntries(report.findings.map((f) => [f.kind, f.sampleIds]))).toEqual({
      SMALL_CLASSES: [id("bird/bird-00.jpg"), id("bird/bird-01.jpg")],
      CLASS_IMBALANCE: [id("bird/bird-00.jpg"), id("bird/bird-01.jpg")],
      EXACT_DUPLICATES: [id("cat/cat-00.jpg"), id("cat/cat-01.jpg")],
      UNREADABLE_FILES: [],
      LOW_RESOLUTION: [id("cat/cat-02.jpg")],
      BLURRY: [id("cat/cat-03.jpg")],
      UNDER_EXPOSED: [id("dog/dog-03.jpg")],
      OVER_EXPOSED: [id("dog/dog-02.jpg")],
      NEAR_DUPLICATES: [id("dog/dog-00.jpg"), id("dog/dog-01.jpg")],
    });

    const row = await database.prisma.datasetVersion.findUniqueOrThrow({ where: { id: seeded.versionId } });
    expect(row.quality).toMatchObject({
      score: 49.1,
      usedEmbeddings: false,
      embeddings: null,
      computedAt: report.computedAt.toISOString(),
    });
    const again = await quality.reportFor(seeded.versionId);
    expect(again.computedAt).toEqual(report.computedAt);
  });

  it("recomputes once an embedding run completes and names the sample sitting among another class", async () => {
    const samples = [...cleanClass("circle", 6), ...cleanClass("square", 6), ...cleanClass("star", 6)];
    const seeded = await seedVersion(database.prisma, "shapes", samples);
    const before = await quality.reportFor(seeded.versionId);
    expect(before).toMatchObject({ score: 100, findings: [], usedEmbeddings: false });

    const space = await database.prisma.embeddingSpace.create({
      data: { key: "FEATURE/8", method: "FEATURE", dimension: 8 },
    });
    // Each class clusters around its own axis; circle-05 is drawn among the squares.
    const axis = { circle: 0, square: 1, star: 2 } as const;
    const vectors = new VectorStore(pool);
    await vectors.upsert(
      space,
      samples.map((sample, index) => {
        const vector = Array.from({ length: 8 }, (_, d) => 0.02 * ((index * 7 + d * 3) % 5));
        const cluster = sample.path === "circle/circle-05.jpg" ? "square" : sample.className;
        vector[axis[cluster as keyof typeof axis]]! += 1;
        return { sampleId: seeded.ids[sample.path]!, datasetId: seeded.datasetId, vector };
      }),
    );

    // Vectors of a run still in progress are not used yet: the stored report stands.
    const { ownerId } = await database.prisma.dataset.findUniqueOrThrow({ where: { id: seeded.datasetId } });
    const run = await database.prisma.embeddingRun.create({
      data: { versionId: seeded.versionId, spaceId: space.id, total: 18, done: 18 },
    });
    const job = await database.prisma.job.create({
      data: {
        kind: embeddingJobKind.name,
        payload: { runId: run.id, datasetVersionId: seeded.versionId },
        ownerId,
        maxAttempts: embeddingJobKind.maxAttempts,
        status: "RUNNING",
        embeddingRun: { connect: { id: run.id } },
      },
    });
    expect((await quality.reportFor(seeded.versionId)).computedAt).toEqual(before.computedAt);
    await database.prisma.job.update({ where: { id: job.id }, data: { status: "SUCCEEDED" } });

    const after = await quality.reportFor(seeded.versionId);
    expect(after).toMatchObject({ usedEmbeddings: true, embeddingSpace: "FEATURE/8" });
    expect(after.computedAt.getTime()).toBeGreaterThan(before.computedAt.getTime());
    expect(after.findings).toEqual([
      {
        kind: "SUSPECTED_LABEL_ERRORS",
        severity: "WARNING",
        sampleIds: [seeded.ids["circle/circle-05.jpg"]],
        recommendation: expect.stringContaining("relabel it or remove it"),
        details: expect.objectContaining({
          samples: [
            {
              id: seeded.ids["circle/circle-05.jpg"],
              label: "circle",
              suggestedLabel: "square",
              votes: "5/5",
            },
          ],
        }),
      },
    ]);
    // computeQuality (what the embedding job calls) rewrites the stored report.
    const recomputed = await quality.computeQuality(seeded.versionId);
    expect(recomputed.embeddings).toEqual({
      spaceId: space.id,
      spaceKey: "FEATURE/8",
      dimension: 8,
      samples: 18,
    });
  });

  it("says which version it could not find", async () => {
    await expect(quality.computeQuality("00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

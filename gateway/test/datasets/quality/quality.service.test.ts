import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createPgPool } from "../../../src/db/prisma";
import { embeddingJobKind } from "../../../src/datasets/embeddings/embedding-job-kind";
import { DatasetQualityService } from "../../../src/datasets/quality/quality.service";
import { VectorStore } from "../../../src/vectors/vector-store";
import { createTestDatabase, type TestDatabase } from "../../support/database";
import type { Viewer } from "../../../src/users/access";
import { cleanClass, messySamples, messySkipped, seedVersion } from "./seed-quality";

let database: TestDatabase;
let pool: pg.Pool;
let quality: DatasetQualityService;
/** The seeded samples have no bytes: small ones cannot be measured at their own size. */
const noBlobs = {
  openRead: () => Promise.reject(new Error("no blobs in this test")),
};
beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPgPool(database.url);
  quality = new DatasetQualityService(database.prisma, noBlobs);
});
afterAll(async () => {
  await pool?.end();
  await database?.close();
});

describe("DatasetQualityService", () => {
  it("computes the report on first read, stores it, and serves it stored afterwards", async () => {
    const seeded = await seedVersion(database.prisma, "messy", messySamples(), messySkipped);
    const report = await quality.reportFor(seeded.versionId, { viewer: null });
    expect(report.usedEmbeddings).toBe(false);
    expect(report.embeddingSpace).toBeNull();
    expect(report.score).toBe(53.9);
    expect(report.baseModelVersion).toBeNull();
    expect(report.notes[0]).toMatch(/^Sizes were not judged/);
    const id = (path: string) => seeded.ids[path]!;
    expect(Object.fromEntries(report.findings.map((f) => [f.kind, f.sampleIds]))).toEqual({
      SMALL_CLASSES: [id("bird/bird-00.jpg"), id("bird/bird-01.jpg")],
      CLASS_IMBALANCE: [id("bird/bird-00.jpg"), id("bird/bird-01.jpg")],
      EXACT_DUPLICATES: [id("cat/cat-00.jpg"), id("cat/cat-01.jpg")],
      UNREADABLE_FILES: [],
      BLURRY: [id("cat/cat-03.jpg")],
      UNDER_EXPOSED: [id("dog/dog-03.jpg")],
      OVER_EXPOSED: [id("dog/dog-02.jpg")],
      NEAR_DUPLICATES: [id("dog/dog-00.jpg"), id("dog/dog-01.jpg")],
    });

    const row = await database.prisma.datasetVersion.findUniqueOrThrow({ where: { id: seeded.versionId } });
    expect(row.quality).toMatchObject({
      analysisVersion: 2,
      usedEmbeddings: false,
      embeddings: null,
      computedAt: report.computedAt.toISOString(),
    });
    const again = await quality.reportFor(seeded.versionId, { viewer: null });
    expect(again.computedAt).toEqual(report.computedAt);
  });

  it("recomputes once an embedding run completes and names the sample sitting among another class", async () => {
    const samples = [...cleanClass("circle", 6), ...cleanClass("square", 6), ...cleanClass("star", 6)];
    const seeded = await seedVersion(database.prisma, "shapes", samples);
    const before = await quality.reportFor(seeded.versionId, { viewer: null });
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
    expect((await quality.reportFor(seeded.versionId, { viewer: null })).computedAt).toEqual(
      before.computedAt,
    );
    await database.prisma.job.update({ where: { id: job.id }, data: { status: "SUCCEEDED" } });

    const after = await quality.reportFor(seeded.versionId, { viewer: null });
    expect(after).toMatchObject({ usedEmbeddings: true, embeddingSpace: "FEATURE/8" });
    expect(after.computedAt.getTime()).toBeGreaterThan(before.computedAt.getTime());
    expect(after.findings).toEqual([
      {
        kind: "SUSPECTED_LABEL_ERRORS",
        severity: "WARNING",
        sampleIds: [seeded.ids["circle/circle-05.jpg"]],
        recommendation: expect.stringContaining("relabel it or remove it"),
        explanation: expect.stringContaining(
          'circle/circle-05.jpg, labelled "circle", has 5 of 5 neighbours labelled "square"',
        ),
        dismissed: false,
        dismissal: null,
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

describe("DatasetQualityService dismissals and base models", () => {
  const member = async (handle: string): Promise<Viewer> => {
    const user = await database.prisma.user.upsert({ where: { handle }, create: { handle }, update: {} });
    return { id: user.id, handle, role: "MEMBER" };
  };
  const modelVersion = async (owner: Viewer, slug: string, isPublic: boolean, shape: number[]) => {
    const model = await database.prisma.model.create({
      data: { ownerId: owner.id, slug, name: slug, framework: "ONNX", isPublic },
    });
    return database.prisma.modelVersion.create({
      data: {
        modelId: model.id,
        version: "v1",
        ordinal: 1,
        createdById: owner.id,
        sizeBytes: 1n,
        inputs: [{ name: "pixels", dataType: "FLOAT32", shape, dimensions: shape.map(String) }],
      },
    });
  };

  it("lists a dismissed finding with who and why, deducts nothing for it, and restores it", async () => {
    const seeded = await seedVersion(database.prisma, "dismissals", messySamples(), messySkipped);
    const owner = await member("quality-owner");
    const before = await quality.reportFor(seeded.versionId, { viewer: owner });
    const dismissed = await quality.dismiss(
      owner,
      seeded.versionId,
      "OVER_EXPOSED",
      "  studio shots on white  ",
    );
    const finding = dismissed.findings.find((f) => f.kind === "OVER_EXPOSED")!;
    expect(finding).toMatchObject({
      dismissed: true,
      dismissal: { reason: "studio shots on white", dismissedById: owner.id },
    });
    expect(dismissed.deductions.map((d) => d.kind)).not.toContain("OVER_EXPOSED");
    expect(dismissed.score).toBe(58.7); // 53.9 + the 4.8 OVER_EXPOSED deducted
    expect(await database.prisma.qualityDismissal.count({ where: { versionId: seeded.versionId } })).toBe(1);

    const restored = await quality.restore(owner, seeded.versionId, "OVER_EXPOSED");
    expect(restored.findings.find((f) => f.kind === "OVER_EXPOSED")).toMatchObject({
      dismissed: false,
      dismissal: null,
    });
    expect(restored.score).toBe(before.score);
    // Restoring again is a no-op.
    expect((await quality.restore(owner, seeded.versionId, "OVER_EXPOSED")).score).toBe(before.score);
  });

  it("refuses dismissals by others, of findings not in the report, and over-long reasons, storing nothing", async () => {
    const seeded = await seedVersion(database.prisma, "guarded", messySamples(), messySkipped);
    const owner = await member("quality-owner");
    const other = await member("quality-other");
    const refused = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject;
    await refused(quality.dismiss(other, seeded.versionId, "BLURRY", null))({ code: "NOT_FOUND" });
    await database.prisma.dataset.update({ where: { id: seeded.datasetId }, data: { isPublic: true } });
    await refused(quality.dismiss(other, seeded.versionId, "BLURRY", null))({ code: "FORBIDDEN" });
    await refused(quality.restore(other, seeded.versionId, "BLURRY"))({ code: "FORBIDDEN" });
    await refused(quality.dismiss(owner, seeded.versionId, "SUSPECTED_LABEL_ERRORS", null))({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("has no SUSPECTED_LABEL_ERRORS finding to dismiss"),
    });
    await refused(quality.dismiss(owner, seeded.versionId, "LOW_RESOLUTION", null))({
      code: "BAD_USER_INPUT",
      message: expect.stringContaining("sizes are judged only with baseModelVersionId"),
    });
    await refused(quality.dismiss(owner, seeded.versionId, "BLURRY", "x".repeat(1_001)))({
      code: "BAD_USER_INPUT",
      message: "reason must be at most 1000 characters long, got 1001",
    });
    expect(await database.prisma.qualityDismissal.count({ where: { versionId: seeded.versionId } })).toBe(0);
  });

  it("judges sizes against a visible base model's input tensor, and not at all for a model of any size", async () => {
    const seeded = await seedVersion(database.prisma, "sizes", messySamples(), messySkipped);
    const owner = await member("quality-owner");
    const other = await member("quality-other");
    const resnet = await modelVersion(owner, "resnet", false, [-1, 3, 224, 224]);
    const report = await quality.reportFor(seeded.versionId, {
      viewer: owner,
      baseModelVersionId: resnet.id,
    });
    expect(report.baseModelVersion).toMatchObject({ id: resnet.id });
    expect(report.notes[0]).toBe(
      'Sizes were judged against the 224×224 input of base model v1 of "resnet" (its input tensor "pixels").',
    );
    // 128 px images are enlarged 1.75×, under the limit; the 40 px wide one 5.6×.
    expect(report.findings.find((f) => f.kind === "LOW_RESOLUTION")).toMatchObject({
      sampleIds: [seeded.ids["cat/cat-02.jpg"]],
      explanation: expect.stringContaining("e.g. cat/cat-02.jpg is 40×128, enlarged 5.6×"),
    });
    const dismissed = await quality.dismiss(owner, seeded.versionId, "LOW_RESOLUTION", null, resnet.id);
    expect(dismissed.findings.find((f) => f.kind === "LOW_RESOLUTION")!.dismissed).toBe(true);

    const anySize = await modelVersion(owner, "fully-convolutional", false, [-1, 3, -1, -1]);
    const unjudged = await quality.reportFor(seeded.versionId, {
      viewer: owner,
      baseModelVersionId: anySize.id,
    });
    expect(unjudged.findings.map((f) => f.kind)).not.toContain("LOW_RESOLUTION");
    expect(unjudged.notes[0]).toMatch(
      /^Sizes were not judged: base model v1 of "fully-convolutional" takes images of any size/,
    );

    await expect(
      quality.reportFor(seeded.versionId, { viewer: other, baseModelVersionId: resnet.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

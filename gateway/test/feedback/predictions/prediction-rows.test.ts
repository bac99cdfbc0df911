import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  insertPredictionRows,
  type NewPredictionRow,
} from "../../../src/feedback/predictions/prediction-rows";
import { PredictionSource } from "../../../src/feedback/predictions/predictions.types";
import { isForeignKeyViolation } from "../../../src/users/users.service";
import { createTestDatabase, type TestDatabase } from "../../support/database";

let database: TestDatabase;
let modelVersionId: string;
let ownerId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const owner = await database.prisma.user.create({ data: { handle: "prediction-rows" } });
  ownerId = owner.id;
  const model = await database.prisma.model.create({
    data: { ownerId, slug: "rows", name: "rows", framework: "ONNX" },
  });
  const version = await database.prisma.modelVersion.create({
    data: { modelId: model.id, version: "v1", ordinal: 1, createdById: ownerId, sizeBytes: 1n },
  });
  modelVersionId = version.id;
});

afterAll(async () => {
  await database?.close();
});

const row = (overrides: Partial<NewPredictionRow> = {}): NewPredictionRow => ({
  id: randomUUID(),
  modelVersionId,
  requestedById: ownerId,
  sampleId: null,
  imageSha256: null,
  labels: ["cat", "dog"],
  scores: [0.25, 0.75],
  latencyMs: 3.5,
  expiresAt: new Date("2027-01-05T10:20:30.456Z"),
  ...overrides,
});

describe("insertPredictionRows", () => {
  it("stores every field exactly: labels with quotes, commas and accents, scores to the last bit, NaN and infinities", async () => {
    const scores = [1 / 3, 5e-324, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, -0, 1 - 1e-16];
    const labels = ['say "cheese"', "a,b", "{braces}", "naïve café", "back\\slash", "", "NULL"];
    const rows = [
      row({ labels, scores, latencyMs: 0.123456789 }),
      row({ requestedById: null, source: PredictionSource.LABELING, expiresAt: null }),
    ];
    expect(await insertPredictionRows(database.prisma, rows)).toBe(2);

    const stored = await database.prisma.prediction.findMany({
      where: { id: { in: rows.map((r) => r.id) } },
    });
    const first = stored.find((p) => p.id === rows[0]!.id)!;
    expect(first.labels).toEqual(labels);
    expect(first.scores).toHaveLength(scores.length);
    first.scores.forEach((score, k) => expect(Object.is(score, scores[k])).toBe(true));
    expect(first).toMatchObject({
      modelVersionId,
      requestedById: ownerId,
      sampleId: null,
      imageSha256: null,
      source: "SERVING",
      latencyMs: 0.123456789,
      expiresAt: new Date("2027-01-05T10:20:30.456Z"),
      embedding: [],
    });
    expect(stored.find((p) => p.id === rows[1]!.id)).toMatchObject({
      source: "LABELING",
      requestedById: null,
      scores: [0.25, 0.75],
      expiresAt: null,
    });
  });

  it("stores a label with a lone surrogate as the driver always has: with U+FFFD in its place", async () => {
    const lone = row({ labels: ["cat\uD800", "\uDC00dog", "ok \uD83D\uDE00"] });
    await insertPredictionRows(database.prisma, [lone]);
    const stored = await database.prisma.prediction.findUniqueOrThrow({ where: { id: lone.id } });
    expect(stored.labels).toEqual(["cat\uFFFD", "\uFFFDdog", "ok \uD83D\uDE00"]);
  });

  it("inserts nothing of a batch when one row names a version that does not exist, and says it is a foreign-key violation", async () => {
    const before = await database.prisma.prediction.count();
    const failure = await insertPredictionRows(database.prisma, [
      row(),
      row({ modelVersionId: "00000000-0000-4000-8000-000000000000" }),
    ]).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isForeignKeyViolation(failure)).toBe(true);
    expect(await database.prisma.prediction.count()).toBe(before);
  });
});

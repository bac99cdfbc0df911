import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { expectError } from "../../registry/operations";
import {
  buildColourClassifier,
  COLOUR_LABELS,
  deploy,
  deployReady,
  expectedScores,
  solidPng,
  UNIT_PREPROCESSING,
  uploadOnnx,
} from "../../inference/inference-api";
import { normalisedEntropy } from "../../../src/feedback/numerics/normalised-entropy";
import { classifyLogged, listPredictions, recordFeedback } from "./predictions-api";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Mostly blue, a little more green than red: no two scores tie. */
const BLUE = [20, 60, 230] as const;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Through GraphQL: classify → predictionId → recordFeedback → the log with its feedback. */
describe("the prediction log and feedback", () => {
  let gateway: TestGateway;
  let member: string;
  let versionId: string;
  let blue: Buffer;

  beforeAll(async () => {
    gateway = await startTestGateway();
    member = await gateway.createMember("feedback-member");
    const version = await uploadOnnx(gateway, "logged-colours", buildColourClassifier(), { isPublic: true });
    versionId = version.id;
    await deployReady(gateway, versionId, { preprocessing: UNIT_PREPROCESSING });
    blue = await solidPng(BLUE);
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("logs every class in output order with the image, returns the top k and the prediction's id", async () => {
    const shown = await gateway.gql<{ modelVersion: { deployment: { config: { predictionLog: unknown } } } }>(
      "query ($id: ID!) { modelVersion(id: $id) { deployment { config { predictionLog { enabled retentionDays keepImages } } } } }",
      { id: versionId },
    );
    expect(shown.data?.modelVersion.deployment.config.predictionLog).toEqual({
      enabled: true,
      retentionDays: 30,
      keepImages: true,
    });

    const answer = await classifyLogged(gateway, versionId, blue, { topK: 1 });
    expect(answer.predictions.map((p) => p.label)).toEqual(["blue"]);
    expect(answer.adjustedPredictions).toBeNull();
    const row = await gateway.prisma.prediction.findUniqueOrThrow({ where: { id: answer.predictionId! } });
    expect(row.labels).toEqual(COLOUR_LABELS);
    row.scores.forEach((score, k) => expect(score).toBeCloseTo(expectedScores(BLUE)[k]!, 6));
    expect(row.imageSha256).toBe(sha256(blue));
    expect(await gateway.blobFiles()).toContain(sha256(blue));
    expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBeCloseTo(30 * DAY_MS, -4);

    // On the classify path: one INSERT, and with a kept upload its Blob row in the same transaction.
    gateway.sqlStatements.length = 0;
    await classifyLogged(gateway, versionId, blue);
    const inserts = gateway.sqlStatements.map((sql) => sql.trim()).filter((sql) => sql.startsWith("INSERT"));
    expect(inserts.map((sql) => /^INSERT INTO (?:"public"\.)?"(\w+)"/.exec(sql)?.[1])).toEqual([
      "Blob",
      "Prediction",
    ]);
  });

  it("records feedback once per prediction and lists it with the prediction", async () => {
    const { predictionId } = await classifyLogged(gateway, versionId, blue);
    const right = await recordFeedback(gateway, { predictionId, correctLabel: "blue", note: "spot on" });
    expect(right.data?.recordFeedback).toMatchObject({
      correctLabel: "blue",
      isCorrect: true,
      note: "spot on",
      source: "API",
      createdBy: { handle: "admin" },
      prediction: { id: predictionId },
    });
    // A retraining run used the correction: the same label again keeps it used, another one is new.
    const usedIn = randomUUID();
    await gateway.prisma.feedback.update({
      where: { predictionId: predictionId! },
      data: { usedInVersionId: usedIn },
    });
    const usedInVersion = async () =>
      (await gateway.prisma.feedback.findUniqueOrThrow({ where: { predictionId: predictionId! } }))
        .usedInVersionId;
    expect((await recordFeedback(gateway, { predictionId, correctLabel: "blue" })).errors).toBeUndefined();
    expect(await usedInVersion()).toBe(usedIn);
    const wrong = await recordFeedback(gateway, {
      predictionId,
      correctLabel: "green",
      source: "PLAYGROUND",
    });
    expect(wrong.data?.recordFeedback).toMatchObject({ id: right.data?.recordFeedback.id, isCorrect: false });
    expect(await gateway.prisma.feedback.count({ where: { predictionId: predictionId! } })).toBe(1);
    expect(await usedInVersion()).toBeNull();

    const { nodes } = await listPredictions(gateway, versionId, { hasFeedback: true });
    expect(nodes).toHaveLength(1);
    const [listed] = nodes;
    expect(listed).toMatchObject({
      id: predictionId,
      requestedBy: { handle: "admin" },
      feedback: { correctLabel: "green", isCorrect: false, note: null },
      adjustedPredictions: null,
    });
    expect(listed!.predictions.map((p) => p.label)).toEqual(["blue", "green", "red"]);
    expect(listed!.uncertainty).toBeCloseTo(normalisedEntropy(expectedScores(BLUE)), 6);
    const image = await fetch(listed!.imageUrl!);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer())).toEqual(blue);

    const counts = async (filter: Record<string, unknown>) =>
      (await listPredictions(gateway, versionId, filter)).totalCount;
    expect(await counts({ isCorrect: false })).toBe(1);
    expect(await counts({ isCorrect: true })).toBe(0);
    expect(await counts({ label: "blue" })).toBe(3);
    expect(await counts({ label: "red" })).toBe(0);
    expect(await counts({ hasFeedback: false })).toBe(2);
    const summary = await gateway.gql<{ modelVersion: { feedbackSummary: unknown } }>(
      "query ($id: ID!) { modelVersion(id: $id) { feedbackSummary { predictions withFeedback correct wrong } } }",
      { id: versionId },
    );
    expect(summary.data?.modelVersion.feedbackSummary).toEqual({
      predictions: 3,
      withFeedback: 1,
      correct: 0,
      wrong: 1,
    });
  });

  it("refuses another user's prediction, unknown labels and empty or contradicting feedback, storing nothing", async () => {
    const { predictionId } = await classifyLogged(gateway, versionId, blue);
    expectError(await recordFeedback(gateway, { predictionId, isCorrect: true }, member), "NOT_FOUND");
    const hidden = await gateway.gql(
      "query ($id: ID!) { prediction(id: $id) { id } }",
      { id: predictionId },
      member,
    );
    expect(hidden).toEqual({ data: { prediction: null } });

    const unknown = await recordFeedback(gateway, { predictionId, correctLabel: "purple" });
    expectError(
      unknown,
      "BAD_USER_INPUT",
      '"purple" is not a label of this model; its labels are "red", "green", "blue"',
    );
    expect(unknown.errors![0]!.extensions).toMatchObject({ labels: COLOUR_LABELS });
    expectError(
      await recordFeedback(gateway, { predictionId, correctLabel: "x".repeat(201) }),
      "BAD_USER_INPUT",
      "correctLabel must be at most 200 characters long, got 201",
    );
    expectError(
      await recordFeedback(gateway, { predictionId }),
      "BAD_USER_INPUT",
      /correctLabel", "isCorrect" or both/,
    );
    expectError(
      await recordFeedback(gateway, { predictionId, correctLabel: "blue", isCorrect: false }),
      "BAD_USER_INPUT",
      /top prediction/,
    );
    expect(await gateway.prisma.feedback.count({ where: { predictionId: predictionId! } })).toBe(0);

    // The member sees their own predictions of the public model, and only those.
    const own = await classifyLogged(gateway, versionId, blue, { token: member });
    const listed = await listPredictions(gateway, versionId, undefined, member);
    expect(listed.nodes.map((node) => node.id)).toEqual([own.predictionId]);
    expect(
      (await recordFeedback(gateway, { predictionId: own.predictionId, isCorrect: true }, member)).errors,
    ).toBeUndefined();

    // Seeing one's prediction needs seeing its model: made private, both are gone.
    const { modelId } = await gateway.prisma.modelVersion.findUniqueOrThrow({ where: { id: versionId } });
    await gateway.prisma.model.update({ where: { id: modelId }, data: { isPublic: false } });
    try {
      const gone = await gateway.gql(
        "query ($id: ID!) { prediction(id: $id) { id modelVersion { id } } }",
        { id: own.predictionId },
        member,
      );
      expect(gone).toEqual({ data: { prediction: null } });
    } finally {
      await gateway.prisma.model.update({ where: { id: modelId }, data: { isPublic: true } });
    }
  });

  it("lists a page of predictions with every nested field in as many statements for 2 as for 6", async () => {
    const statementsFor = async (first: number) => {
      gateway.sqlStatements.length = 0;
      const { nodes } = await listPredictions(gateway, versionId, { since: new Date(0).toISOString() });
      expect(nodes.length).toBeGreaterThanOrEqual(first);
      return gateway.sqlStatements.length;
    };
    const few = await statementsFor(2);
    for (let i = 0; i < 3; i++) await classifyLogged(gateway, versionId, blue);
    expect(await statementsFor(6)).toBe(few);
  });

  it("learns from 20 corrections to return adjusted predictions beside the raw ones", async () => {
    const corrected = await uploadOnnx(gateway, "corrected-colours", buildColourClassifier());
    await deployReady(gateway, corrected.id, { preprocessing: UNIT_PREPROCESSING });
    // The model calls this purple red; its users keep saying blue.
    const purple = await solidPng([200, 0, 180]);
    const first = await classifyLogged(gateway, corrected.id, purple);
    expect(first.predictions.map((p) => p.label)).toEqual(["red", "blue", "green"]);
    const logged = await gateway.prisma.prediction.findUniqueOrThrow({ where: { id: first.predictionId! } });
    const admin = await gateway.prisma.user.findFirstOrThrow({ where: { handle: "admin" } });
    // A member's corrections (say, of a model they may call but not change) are not fitted.
    const outsider = await gateway.prisma.user.findFirstOrThrow({ where: { handle: "feedback-member" } });
    for (let i = 0; i < 5; i++) {
      await gateway.prisma.prediction.create({
        data: {
          modelVersionId: corrected.id,
          labels: logged.labels,
          scores: logged.scores,
          latencyMs: 1,
          requestedById: outsider.id,
          expiresAt: logged.expiresAt,
          feedback: { create: { correctLabel: "green", isCorrect: false, createdById: outsider.id } },
        },
      });
    }
    for (let i = 0; i < 19; i++) {
      await gateway.prisma.prediction.create({
        data: {
          modelVersionId: corrected.id,
          labels: logged.labels,
          scores: logged.scores,
          latencyMs: 1,
          requestedById: admin.id,
          expiresAt: logged.expiresAt,
          feedback: { create: { correctLabel: "blue", isCorrect: false, createdById: admin.id } },
        },
      });
    }
    const twentieth = await recordFeedback(gateway, {
      predictionId: first.predictionId,
      correctLabel: "blue",
    });
    expect(twentieth.errors).toBeUndefined();

    const adjustment = () =>
      gateway.gql<{ modelVersion: { feedbackAdjustment: Record<string, unknown> | null } }>(
        "query ($id: ID!) { modelVersion(id: $id) { feedbackAdjustment { method feedbackCount accuracyBefore accuracyAfter active } } }",
        { id: corrected.id },
      );
    await vi.waitFor(
      async () => expect((await adjustment()).data?.modelVersion.feedbackAdjustment).not.toBeNull(),
      {
        timeout: 30_000,
        interval: 200,
      },
    );
    expect((await adjustment()).data?.modelVersion.feedbackAdjustment).toEqual({
      method: "vector-scaling",
      feedbackCount: 20,
      accuracyBefore: 0,
      accuracyAfter: 1,
      active: true,
    });

    const adjusted = await classifyLogged(gateway, corrected.id, purple, { topK: 2 });
    expect(adjusted.predictions.map((p) => p.label)).toEqual(["red", "blue"]);
    expect(adjusted.adjustedPredictions).toMatchObject({ method: "vector-scaling", improvement: 1 });
    expect(adjusted.adjustedPredictions!.predictions.map((p) => p.label)).toEqual(["blue", "red"]);
    const [listed] = (await listPredictions(gateway, corrected.id, { hasFeedback: false })).nodes;
    expect(listed!.adjustedPredictions?.predictions[0]!.label).toBe("blue");
  });

  it("logs nothing when the deployment's log is off, and the retention sweep deletes expired predictions and their images", async () => {
    expectError(
      await deploy(gateway, versionId, { predictionLog: { retentionDays: 3651 } }),
      "BAD_USER_INPUT",
      "predictionLog.retentionDays must be between 1 and 3650, got 3651",
    );
    await deployReady(gateway, versionId, {
      preprocessing: UNIT_PREPROCESSING,
      predictionLog: { enabled: false },
    });
    const before = await gateway.prisma.prediction.count();
    const unlogged = await classifyLogged(gateway, versionId, blue, { topK: 2 });
    expect(unlogged.predictionId).toBeNull();
    expect(unlogged.predictions.map((p) => p.label)).toEqual(["blue", "green"]);
    expect(await gateway.prisma.prediction.count()).toBe(before);

    const swept = await gateway.running.services.predictions.sweepExpired(new Date(Date.now() + 31 * DAY_MS));
    expect(swept).toBe(before);
    expect(await gateway.prisma.prediction.count()).toBe(0);
    expect(await gateway.prisma.feedback.count()).toBe(0);
    expect(await gateway.blobFiles()).not.toContain(sha256(blue));
  });
});

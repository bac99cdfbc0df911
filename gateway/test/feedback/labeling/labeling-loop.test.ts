import { OnnxGraphBuilder } from "@tessera/onnx";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { zipDatasetFiles, type DatasetFile } from "../../support/texture-dataset";
import { postUpload } from "../../datasets/embeddings/embeddings-api";
import { expectError } from "../../registry/operations";
import {
  buildColourClassifier,
  classified,
  COLOUR_LABELS,
  deployReady,
  expectedScores,
  solidPng,
  UNIT_PREPROCESSING,
  uploadOnnx,
  type Rgb,
} from "../../inference/inference-api";
import { greedyKCenter } from "../../../src/feedback/labeling/selection/k-center";
import { parseVectorText } from "../../../src/vectors/vector-text";
import { LocalBlobStore } from "../../../src/storage/local-blob-store";
import { listPredictions } from "../predictions/predictions-api";
import { runSelect, type SelectedBatch } from "../../../src/feedback/cli/active-learning-run";
import { normalisedEntropy } from "../../../src/feedback/numerics/normalised-entropy";
import { BATCH, createBatch, createdBatch, submit, type Batch } from "./labeling-api";

/** Pool images by name: how unsure the colour classifier is of each follows from its colour alone. */
const POOL: Record<string, Rgb> = {
  grey: [128, 128, 128],
  "red-green": [150, 110, 0],
  "green-blue": [0, 130, 90],
  red: [255, 0, 0],
  green: [0, 255, 0],
  blue: [0, 0, 255],
};
const LABELLED: Record<string, Rgb> = {
  "red/r1.png": [250, 5, 5],
  "red/r2.png": [230, 20, 20],
  "green/g1.png": [5, 250, 5],
  "green/g2.png": [20, 230, 20],
};
const entropyOf = (name: string) => normalisedEntropy(expectedScores(POOL[name]!));
const nameOf = (path: string) => path.replace(/^.*\//, "").replace(/\.png$/, "");

let gateway: TestGateway;
let bob: string;
let modelId: string;
let datasetId: string;
let poolVersionId: string;

async function datasetZip(withPool: boolean): Promise<Buffer> {
  const files: DatasetFile[] = [];
  for (const [path, colour] of Object.entries(LABELLED))
    files.push({ path, bytes: await solidPng(colour, 16, 16) });
  if (withPool) {
    for (const [name, colour] of Object.entries(POOL)) {
      files.push({ path: `_unlabeled/${name}.png`, bytes: await solidPng(colour, 16, 16) });
    }
  }
  return zipDatasetFiles(files);
}

async function uploaded(name: string, withPool: boolean) {
  const body = await postUpload(gateway, name, await datasetZip(withPool), { generateEmbeddings: false });
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.uploadDataset;
}

beforeAll(async () => {
  gateway = await startTestGateway();
  bob = await gateway.createMember("bob");
  // Public, so another user reaches the dataset checks rather than stopping at the model.
  const model = await uploadOnnx(gateway, "colours", buildColourClassifier(), { isPublic: true });
  modelId = model.id;
  await deployReady(gateway, modelId, { preprocessing: UNIT_PREPROCESSING });
  const dataset = await uploaded("colour-pool", true);
  datasetId = dataset.dataset.id;
  poolVersionId = dataset.version.id;
});
afterAll(() => gateway?.stop());

describe("labelling a dataset pool", () => {
  let batch: Batch;

  it("scores the pool through the tier and picks by ENTROPY + KCENTER", async () => {
    batch = await createdBatch(gateway, {
      modelVersionId: modelId,
      pool: { datasetVersionId: poolVersionId },
      strategy: "ENTROPY",
      diversity: "KCENTER",
      size: 3,
      seed: 7,
    });
    expect(batch).toMatchObject({
      strategy: "ENTROPY",
      diversity: "KCENTER",
      size: 3,
      randomShare: 0,
      seed: 7,
      labels: ["red", "green", "blue"],
      modelVersion: { id: modelId },
      datasetVersion: { id: poolVersionId },
      predictionsOf: null,
      resultVersion: null,
      submittedAt: null,
    });
    const names = batch.items.map((item) => nameOf(item.sample!.originalPath));
    batch.items.forEach((item, index) => {
      expect(item).toMatchObject({ position: index, random: false, label: null, sample: { class: null } });
      expect(item.prediction?.source).toBe("LABELING");
      expect(item.uncertainty).toBeCloseTo(entropyOf(names[index]!), 5);
    });
    // No labelled sample has a vector (uploaded without embeddings): k-center starts at the most
    // uncertain item, then goes by distance in the FEATURE vectors the batch computed and stored.
    expect(names[0]).toBe("grey");
    const space = await gateway.prisma.embeddingSpace.findUniqueOrThrow({ where: { key: "FEATURE/v2/256" } });
    const poolRows = await gateway.prisma.$queryRaw<Array<{ sampleId: string; embedding: string }>>`
      SELECT u."sampleId"::text AS "sampleId", e.embedding::text AS embedding
      FROM "UnlabeledSample" u JOIN "Embedding" e ON e."sampleId" = u."sampleId" AND e."spaceId" = ${space.id}::uuid
      WHERE u."versionId" = ${poolVersionId}::uuid ORDER BY u."sampleId"`;
    expect(poolRows).toHaveLength(6);
    const paths = await samplePaths(poolRows.map((row) => row.sampleId));
    const vectors = { values: poolRows.flatMap((row) => parseVectorText(row.embedding)), dimension: 256 };
    const priority = poolRows.map((row) => entropyOf(paths.get(row.sampleId)!));
    const expected = greedyKCenter(vectors, [0, 1, 2, 3, 4, 5], 3, { priority });
    expect(names).toEqual(expected.map((row) => paths.get(poolRows[row]!.sampleId)));
    // Diversity changed the pick: NONE would take grey and both two-colour mixes.
    const byUncertainty = Object.keys(POOL).sort((a, b) => entropyOf(b) - entropyOf(a));
    expect(names).not.toEqual(byUncertainty.slice(0, 3));
    expect(await labelingPredictions()).toBe(6);
  });

  it("reuses the pool's scores for the next batch (through the CLI)", async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    const input = { modelVersionId: modelId, pool: { datasetVersionId: poolVersionId }, size: 2, seed: 1 };
    const code = await runSelect(
      { url: gateway.url, token: gateway.adminToken, json: true, input },
      { stdout, stderr },
    );
    expect(code).toBe(0);
    const printed = JSON.parse(Buffer.concat(chunks).toString()) as SelectedBatch;
    expect(printed.strategy).toBe("ENTROPY");
    const byUncertainty = Object.keys(POOL).sort((a, b) => entropyOf(b) - entropyOf(a));
    expect(printed.items.map((item) => nameOf(item.sample!.originalPath))).toEqual(byUncertainty.slice(0, 2));
    expect(await labelingPredictions()).toBe(6);
  });

  it("submits the labels as one new version with feedback, once", async () => {
    const labelOf: Record<string, string> = { grey: "blue", "red-green": "red", "green-blue": "green" };
    const labels = batch.items.map((item) => ({
      itemId: item.id,
      label: labelOf[nameOf(item.sample!.originalPath)] ?? nameOf(item.sample!.originalPath),
    }));
    const first = await submit(gateway, batch.id, labels);
    expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
    const version = first.data!.submitLabels;
    const classes = new Map(Object.keys(LABELLED).map((path) => [path.split("/")[0]!, 2]));
    for (const { label } of labels) classes.set(label, (classes.get(label) ?? 0) + 1);
    expect(version).toMatchObject({ imageCount: 7, unlabeledCount: 3, number: 2 });
    expect(new Map(version.classes.map((c) => [c.name, c.count]))).toEqual(classes);
    const stored = await gateway.prisma.datasetVersion.findUniqueOrThrow({ where: { id: version.id } });
    expect(stored.parentId).toBe(poolVersionId);

    const feedback = await gateway.prisma.feedback.findMany({
      where: { predictionId: { in: batch.items.map((item) => item.prediction!.id) } },
      include: { prediction: { select: { labels: true, scores: true } } },
    });
    expect(feedback).toHaveLength(3);
    for (const row of feedback) {
      const top = row.prediction.labels[row.prediction.scores.indexOf(Math.max(...row.prediction.scores))];
      expect(row).toMatchObject({
        source: "LABELING",
        usedInVersionId: version.id,
        isCorrect: row.correctLabel === top,
      });
    }
    const shown = (await gateway.gql<{ labelingBatch: Batch }>(BATCH, { id: batch.id })).data!.labelingBatch;
    expect(shown.resultVersion).toEqual({ id: version.id });
    expect(shown.submittedAt).not.toBeNull();
    expect(shown.items.map((item) => [item.label, item.sample?.class?.name])).toEqual(
      labels.map(({ label }) => [label, label]),
    );

    const counts = async () => [
      await gateway.prisma.datasetVersion.count(),
      await gateway.prisma.feedback.count(),
    ];
    const before = await counts();
    const again = await submit(gateway, batch.id, [...labels].reverse());
    expect(again.data?.submitLabels.id).toBe(version.id);
    expect(await counts()).toEqual(before);

    const changed = labels.map((entry, index) => (index === 0 ? { ...entry, label: "red" } : entry));
    expectError(await submit(gateway, batch.id, changed), "CONFLICT", version.id);
    expect(await counts()).toEqual(before);
  });

  it("refuses labels for items not in the batch and labels nobody has, naming them", async () => {
    const other = await createdBatch(gateway, {
      modelVersionId: modelId,
      pool: { datasetVersionId: poolVersionId },
      size: 1,
    });
    const item = other.items[0]!.id;
    expectError(
      await submit(gateway, other.id, [{ itemId: batchItem(), label: "red" }]),
      "BAD_USER_INPUT",
      `These items are not in the batch: ${batchItem()}`,
    );
    expectError(
      await submit(gateway, other.id, [{ itemId: "x".repeat(300), label: "red" }]),
      "BAD_USER_INPUT",
      "labels[0].itemId is not a labelling item's id (a UUID)",
    );
    expectError(
      await submit(gateway, other.id, [{ itemId: item, label: "r".repeat(201) }]),
      "BAD_USER_INPUT",
      "labels[0].label must be at most 200 characters long, got 201",
    );
    expectError(
      await submit(gateway, other.id, [{ itemId: item, label: "purple" }]),
      "BAD_USER_INPUT",
      '"purple" is neither a label of the model nor a class of the dataset version; use one of "red", "green", "blue"',
    );
    expect(
      (await gateway.gql<{ labelingBatch: Batch }>(BATCH, { id: other.id })).data!.labelingBatch.submittedAt,
    ).toBeNull();
  });

  it("builds on the dataset's newest version, refusing by name the items labelled since", async () => {
    const stale = await createdBatch(gateway, {
      modelVersionId: modelId,
      pool: { datasetVersionId: poolVersionId },
      size: 6,
    });
    const newest = await latestVersion();
    const pooled = new Set(
      (await gateway.prisma.unlabeledSample.findMany({ where: { versionId: newest.id } })).map(
        (row) => row.sampleId,
      ),
    );
    const [still, labelled] = [true, false].map((inPool) =>
      stale.items.filter((item) => pooled.has(item.sample!.id) === inPool).map((item) => item.id),
    );
    expect(labelled).toHaveLength(3);
    const versions = await gateway.prisma.datasetVersion.count();
    const every = stale.items.map((item) => ({ itemId: item.id, label: "blue" }));
    const refused = await submit(gateway, stale.id, every);
    expectError(refused, "CONFLICT", `newest version ${newest.id}`);
    expect(refused.errors![0]!.extensions).toMatchObject({ itemIds: labelled });
    expect(await gateway.prisma.datasetVersion.count()).toBe(versions);

    const body = await submit(
      gateway,
      stale.id,
      still!.map((itemId) => ({ itemId, label: "blue" })),
    );
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(body.data!.submitLabels).toMatchObject({
      number: newest.number + 1,
      imageCount: newest.imageCount + 3,
      unlabeledCount: 0,
    });
    const stored = await gateway.prisma.datasetVersion.findUniqueOrThrow({
      where: { id: body.data!.submitLabels.id },
    });
    expect(stored.parentId).toBe(newest.id);
  });

  const batchItem = () => batch.items[0]!.id;
});

describe("what a labelling batch shows others", () => {
  const PREDICTION = "query ($id: ID!) { prediction(id: $id) { id imageUrl } }";
  const SUMMARY = "query ($id: ID!) { modelVersion(id: $id) { feedbackSummary { predictions } } }";

  it("keeps its scores and a private sample's image from the model's owner, and scores again for another requester", async () => {
    const carol = await gateway.createMember("carol");
    const dave = await gateway.createMember("dave");
    const idOf = async (handle: string) =>
      (await gateway.prisma.user.findUniqueOrThrow({ where: { handle } })).id;
    const { modelId: model } = await gateway.prisma.modelVersion.findUniqueOrThrow({
      where: { id: modelId },
    });
    const own = async (datasetOwner: string, modelOwner: string) => {
      await gateway.prisma.dataset.update({
        where: { id: datasetId },
        data: { ownerId: await idOf(datasetOwner) },
      });
      await gateway.prisma.model.update({ where: { id: model }, data: { ownerId: await idOf(modelOwner) } });
      // Written behind the gateway's back: it is told, as every change it makes itself tells it, so
      // that no request is served from a target named after the previous owner.
      gateway.running.services.deployments.invalidateServingTargets(model);
    };
    await own("dave", "carol");
    try {
      const before = await labelingPredictions();
      const created = await createBatch(
        gateway,
        { modelVersionId: modelId, pool: { datasetVersionId: poolVersionId }, size: 1 },
        dave,
      );
      expect(created.errors, JSON.stringify(created.errors)).toBeUndefined();
      const daves = created.data!.createLabelingBatch;
      // The admin's scores of the same pool are theirs: dave's batch scores it again.
      expect(await labelingPredictions()).toBe(before + 6);
      const scored = daves.items[0]!.prediction!.id;
      const classifiedSample = await gateway.gql<{ classifyImage: { predictionId: string } }>(
        "mutation ($id: ID!, $sampleId: ID!) { classifyImage(modelVersionId: $id, image: { sampleId: $sampleId }) { predictionId } }",
        { id: modelId, sampleId: daves.items[0]!.sample!.id },
        dave,
      );
      const served = classifiedSample.data!.classifyImage.predictionId;

      // carol owns the model: she sees what it served, without dave's private image, and not dave's batch.
      const carols = await listPredictions(gateway, modelId, undefined, carol);
      expect(carols.nodes.map((node) => [node.id, node.imageUrl])).toEqual([[served, null]]);
      expect((await gateway.gql(PREDICTION, { id: scored }, carol)).data).toEqual({ prediction: null });
      const image = await fetch(`${gateway.url}/files/predictions/${served}/image`, {
        headers: { authorization: `Bearer ${carol}` },
      });
      expect(image.status).toBe(404);
      expect((await gateway.gql(SUMMARY, { id: modelId }, carol)).data).toEqual({
        modelVersion: { feedbackSummary: { predictions: 1 } },
      });

      const daveSees = await gateway.gql<{ prediction: { imageUrl: string | null } }>(
        PREDICTION,
        { id: served },
        dave,
      );
      expect(daveSees.data!.prediction.imageUrl).not.toBeNull();
      // An expired score is gone from the batch as from prediction(id).
      await gateway.prisma.prediction.update({
        where: { id: scored },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      const shown = await gateway.gql<{ labelingBatch: Batch }>(BATCH, { id: daves.id }, dave);
      expect(shown.data!.labelingBatch.items[0]!.prediction).toBeNull();
    } finally {
      await own("admin", "admin");
    }
  });
});

describe("labelling the prediction log", () => {
  it("adds the labelled images to the target dataset with feedback", async () => {
    for (const colour of [
      [200, 60, 60],
      [60, 200, 60],
      [90, 90, 150],
    ] as Rgb[]) {
      await classified(gateway, modelId, await solidPng(colour, 16, 16));
    }
    const pool = { modelVersionId: modelId, pool: { predictionsOf: modelId }, size: 2, diversity: "CLUSTER" };
    expectError(await createBatch(gateway, pool), "BAD_USER_INPUT", "give targetDatasetId");
    const batch = await createdBatch(gateway, { ...pool, targetDatasetId: datasetId });
    expect(batch.predictionsOf).toEqual({ id: modelId });
    expect(batch.items.map((item) => [item.sample, item.prediction?.source])).toEqual([
      [null, "SERVING"],
      [null, "SERVING"],
    ]);
    const latest = await gateway.prisma.datasetVersion.findFirstOrThrow({
      where: { datasetId },
      orderBy: { number: "desc" },
    });
    const body = await submit(gateway, batch.id, [
      { itemId: batch.items[0]!.id, label: "red" },
      { itemId: batch.items[1]!.id, label: "green" },
    ]);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(body.data!.submitLabels).toMatchObject({
      imageCount: latest.imageCount + 2,
      unlabeledCount: latest.unlabeledCount,
    });
    const shown = (await gateway.gql<{ labelingBatch: Batch }>(BATCH, { id: batch.id })).data!.labelingBatch;
    expect(shown.items.map((item) => item.sample?.class?.name)).toEqual(["red", "green"]);
    expect(
      await gateway.prisma.feedback.count({
        where: { source: "LABELING", predictionId: { in: batch.items.map((item) => item.prediction!.id) } },
      }),
    ).toBe(2);
    const next = await createdBatch(gateway, { ...pool, size: 1, targetDatasetId: datasetId });
    expect(next.items[0]!.prediction!.id).not.toBeOneOf(batch.items.map((item) => item.prediction!.id));
  });

  it("leaves out classified samples and non-images, and names an item whose image a dataset refuses", async () => {
    const store = new LocalBlobStore(path.join(gateway.dataDir, "blobs"));
    const admin = await gateway.prisma.user.findUniqueOrThrow({ where: { handle: "admin" } });
    const logged = async (bytes: Buffer) => {
      const blob = await store.put(Readable.from([bytes]));
      await gateway.prisma.blob.create({ data: { sha256: blob.sha256, sizeBytes: BigInt(blob.sizeBytes) } });
      return gateway.prisma.prediction.create({
        data: {
          modelVersionId: modelId,
          requestedById: admin.id,
          labels: COLOUR_LABELS,
          scores: [0.4, 0.35, 0.25],
          latencyMs: 1,
          imageSha256: blob.sha256,
        },
      });
    };
    await logged(Buffer.from("these bytes are no image"));
    const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const corrupt = await logged(Buffer.concat([pngSignature, Buffer.from("a body no decoder reads")]));
    const pool = { modelVersionId: modelId, pool: { predictionsOf: modelId }, targetDatasetId: datasetId };
    // Left: one classified upload and the corrupt PNG; not dave's classified sample, nor the non-image.
    expectError(
      await createBatch(gateway, { ...pool, size: 3 }),
      "BAD_USER_INPUT",
      "pool, which has 2 items",
    );

    const batch = await createdBatch(gateway, { ...pool, size: 2 });
    const broken = batch.items.find((item) => item.prediction!.id === corrupt.id)!;
    const fine = batch.items.find((item) => item !== broken)!;
    const versions = await gateway.prisma.datasetVersion.count();
    const refused = await submit(gateway, batch.id, [
      { itemId: broken.id, label: "red" },
      { itemId: fine.id, label: "green" },
    ]);
    expectError(refused, "BAD_USER_INPUT", `The image of item ${broken.id} cannot join a dataset`);
    expect(refused.errors![0]!.extensions).toMatchObject({ itemIds: [broken.id] });
    expect(await gateway.prisma.datasetVersion.count()).toBe(versions);
    const body = await submit(gateway, batch.id, [{ itemId: fine.id, label: "green" }]);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  });
});

describe("bad input", () => {
  const dataset = () => ({ modelVersionId: modelId, pool: { datasetVersionId: poolVersionId }, size: 1 });

  it("is refused with typed errors and stores nothing", async () => {
    const before = await gateway.prisma.labelingBatch.count();
    expectError(
      await createBatch(gateway, { ...dataset(), size: 7 }),
      "BAD_USER_INPUT",
      "pool, which has 6 items",
    );
    expectError(
      await createBatch(gateway, { ...dataset(), size: 0 }),
      "BAD_USER_INPUT",
      "size must be between 1 and 500",
    );
    expectError(
      await createBatch(gateway, { ...dataset(), randomShare: 1.5 }),
      "BAD_USER_INPUT",
      "randomShare",
    );
    expectError(
      await createBatch(gateway, {
        ...dataset(),
        pool: { datasetVersionId: poolVersionId, predictionsOf: modelId },
      }),
      "BAD_USER_INPUT",
      "exactly one of",
    );
    const empty = await uploaded("no-pool", false);
    expectError(
      await createBatch(gateway, { ...dataset(), pool: { datasetVersionId: empty.version.id } }),
      "BAD_USER_INPUT",
      "its pool is empty",
    );
    const unlabelled = await uploadOnnx(gateway, "no-labels", buildUnlabelledModel());
    expectError(
      await createBatch(gateway, { ...dataset(), modelVersionId: unlabelled.id }),
      "BAD_USER_INPUT",
      "has no labels",
    );
    expect(await gateway.prisma.labelingBatch.count()).toBe(before);
  });

  it("keeps one user's pools and batches from another", async () => {
    expectError(
      await createBatch(gateway, dataset(), bob),
      "NOT_FOUND",
      `Dataset version ${poolVersionId} not found`,
    );
    const mine = await createdBatch(gateway, dataset());
    expect((await gateway.gql(BATCH, { id: mine.id }, bob)).data).toEqual({ labelingBatch: null });
    expectError(
      await submit(gateway, mine.id, [{ itemId: mine.items[0]!.id, label: "red" }], bob),
      "NOT_FOUND",
      `Labelling batch ${mine.id} not found`,
    );
    const listed = await gateway.gql<{ labelingBatches: { totalCount: number } }>(
      "{ labelingBatches(first: 5) { totalCount } }",
      {},
      bob,
    );
    expect(listed.data!.labelingBatches.totalCount).toBe(0);
  });
});

describe("deleting the dataset", () => {
  it("deletes the labelling scores of its samples and drops their images from what the model served", async () => {
    const served = await gateway.prisma.prediction.findFirstOrThrow({
      where: { modelVersionId: modelId, source: "SERVING", sampleId: { not: null } },
    });
    const body = await gateway.gql("mutation ($id: ID!) { deleteDataset(id: $id) }", { id: datasetId });
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    expect(await labelingPredictions()).toBe(0);
    const kept = await gateway.prisma.prediction.findUniqueOrThrow({ where: { id: served.id } });
    expect(kept).toMatchObject({ imageSha256: null, labels: served.labels });
    expect(await gateway.blobFiles()).not.toContain(served.imageSha256);
  });
});

async function latestVersion() {
  return gateway.prisma.datasetVersion.findFirstOrThrow({
    where: { datasetId },
    orderBy: { number: "desc" },
  });
}

async function samplePaths(ids: string[]): Promise<Map<string, string>> {
  const rows = await gateway.prisma.sample.findMany({ where: { id: { in: ids } } });
  return new Map(rows.map((row) => [row.id, nameOf(row.originalPath)]));
}

function labelingPredictions(): Promise<number> {
  return gateway.prisma.prediction.count({ where: { modelVersionId: modelId, source: "LABELING" } });
}

/** A one-output ONNX classifier without label metadata. */
function buildUnlabelledModel(): Buffer {
  return Buffer.from(
    new OnnxGraphBuilder({ graphName: "unlabelled" })
      .addInput("image", "float32", ["batch", 3, 8, 8])
      .addNode({ op: "GlobalAveragePool", inputs: ["image"], outputs: ["pooled"] })
      .addNode({ op: "Flatten", inputs: ["pooled"], outputs: ["scores"], attributes: { axis: { int: 1 } } })
      .addOutput("scores", "float32", ["batch", 3])
      .toBytes(),
  );
}

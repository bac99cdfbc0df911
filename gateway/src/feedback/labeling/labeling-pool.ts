import type { PrismaClient } from "../../generated/prisma/client";
import { badInput } from "../../errors";
import { isUuid } from "../../graphql/ids";
import { limits } from "../../limits";
import { assertCanChange, type Viewer } from "../../users/access";
import type { BlobStore } from "../../storage/blob-store";
import { acceptedImageFormats } from "../../datasets/images/image-signature";
import { datasetReadyImages } from "./pool-images";
import type { LabelingPoolInput } from "./labeling.types";

/** Where a batch's labels land: a dataset version the viewer may change. */
export interface LabelTarget {
  versionId: string;
  datasetId: string;
}

export interface DatasetPool {
  kind: "dataset";
  target: LabelTarget;
  samples: Array<{ sampleId: string; sha256: string }>;
}

export interface LoggedPrediction {
  predictionId: string;
  sha256: string;
  labels: string[];
  scores: number[];
  embeddingKey: string | null;
  embedding: number[];
}

export interface PredictionPool {
  kind: "predictions";
  target: LabelTarget;
  predictions: LoggedPrediction[];
}

export type Pool = DatasetPool | PredictionPool;

interface ScoringModel {
  id: string;
  trainedOnId: string | null;
  model: { ownerId: string; isPublic: boolean };
}

/**
 * The pool a batch picks from, checked: a dataset version's unlabeled samples (the viewer must be
 * allowed to change the dataset, since submitting makes a version of it), or the model version's
 * prediction log (the model's owner or an admin: they see every prediction), whose labelled images
 * go to `targetDatasetId` or else the dataset the version was trained on. A prediction pool holds
 * what the model served of uploaded images (a dataset sample classified is in a dataset already)
 * that a dataset can take (datasetReadyImages).
 */
export async function loadPool(
  prisma: PrismaClient,
  store: BlobStore,
  viewer: Viewer,
  model: ScoringModel,
  pool: LabelingPoolInput,
  targetDatasetId: string | null,
): Promise<Pool> {
  const { datasetVersionId, predictionsOf } = pool;
  if (Boolean(datasetVersionId) === Boolean(predictionsOf)) {
    throw badInput("Give exactly one of pool.datasetVersionId and pool.predictionsOf", { field: "pool" });
  }
  return datasetVersionId
    ? datasetPool(prisma, viewer, datasetVersionId, targetDatasetId)
    : predictionPool(prisma, store, viewer, model, predictionsOf!, targetDatasetId);
}

async function datasetPool(
  prisma: PrismaClient,
  viewer: Viewer,
  versionId: string,
  targetDatasetId: string | null,
): Promise<DatasetPool> {
  const row = isUuid(versionId)
    ? await prisma.datasetVersion.findUnique({ where: { id: versionId }, include: { dataset: true } })
    : null;
  const dataset = assertCanChange(viewer, row?.dataset ?? null, `Dataset version ${versionId}`);
  if (targetDatasetId && targetDatasetId !== dataset.id) {
    throw badInput(
      "targetDatasetId applies to a predictionsOf pool; a dataset pool's labels stay in its dataset",
      {
        field: "targetDatasetId",
      },
    );
  }
  const count = await prisma.unlabeledSample.count({ where: { versionId } });
  if (count === 0) {
    throw badInput(
      `Dataset version ${versionId} has no unlabeled samples: its pool is empty (upload images in an \`_unlabeled/\` folder, or a CSV split \`unlabeled\`)`,
      { field: "pool.datasetVersionId" },
    );
  }
  if (count > limits.labeling.poolItems) {
    throw badInput(
      `Dataset version ${versionId} has ${count} unlabeled samples; a batch scores at most ${limits.labeling.poolItems} (move some into a version of their own)`,
      { field: "pool.datasetVersionId", limit: limits.labeling.poolItems },
    );
  }
  const samples = await prisma.$queryRaw<Array<{ sampleId: string; sha256: string }>>`
    SELECT s.id::text AS "sampleId", s.sha256 FROM "UnlabeledSample" u JOIN "Sample" s ON s.id = u."sampleId"
    WHERE u."versionId" = ${versionId}::uuid ORDER BY s.id`;
  return { kind: "dataset", target: { versionId, datasetId: dataset.id }, samples };
}

async function predictionPool(
  prisma: PrismaClient,
  store: BlobStore,
  viewer: Viewer,
  model: ScoringModel,
  predictionsOf: string,
  targetDatasetId: string | null,
): Promise<PredictionPool> {
  if (predictionsOf !== model.id) {
    throw badInput(
      "pool.predictionsOf must be the batch's model version (modelVersionId): its logged scores rank the pool",
      { field: "pool.predictionsOf" },
    );
  }
  assertCanChange(viewer, model.model, `Model version ${model.id}`);
  const target = await labelTarget(prisma, viewer, model, targetDatasetId);
  // One item per image: the same picture classified twice is labelled once.
  const predictions = await prisma.$queryRaw<LoggedPrediction[]>`
    SELECT * FROM (
      SELECT DISTINCT ON (p."imageSha256") p.id::text AS "predictionId", p."imageSha256" AS sha256,
             p.labels, p.scores, p."embeddingKey", p.embedding, p."createdAt"
      FROM "Prediction" p
      WHERE p."modelVersionId" = ${model.id}::uuid AND p.source = 'SERVING' AND p."imageSha256" IS NOT NULL
        AND p."sampleId" IS NULL
        AND (p."expiresAt" IS NULL OR p."expiresAt" > now())
        AND NOT EXISTS (SELECT 1 FROM "Feedback" f WHERE f."predictionId" = p.id)
      ORDER BY p."imageSha256", p."createdAt" DESC, p.id
    ) newest ORDER BY "createdAt" DESC, "predictionId" LIMIT ${limits.labeling.poolItems}`;
  const ready = await datasetReadyImages(
    store,
    predictions.map((row) => row.sha256),
  );
  const usable = predictions.filter((row) => ready.has(row.sha256));
  if (usable.length === 0) {
    throw badInput(
      `Model version ${model.id} has no logged predictions without feedback of uploaded images it kept that are ${acceptedImageFormats}: the pool is empty`,
      { field: "pool.predictionsOf" },
    );
  }
  return {
    kind: "predictions",
    target,
    predictions: usable.map((row) => ({ ...row, scores: row.scores.map(Number) })),
  };
}

async function labelTarget(
  prisma: PrismaClient,
  viewer: Viewer,
  model: ScoringModel,
  targetDatasetId: string | null,
): Promise<LabelTarget> {
  let datasetId = targetDatasetId;
  if (!datasetId && model.trainedOnId) {
    const trainedOn = await prisma.datasetVersion.findUnique({
      where: { id: model.trainedOnId },
      select: { datasetId: true },
    });
    datasetId = trainedOn?.datasetId ?? null;
  }
  if (!datasetId) {
    throw badInput(
      `Model version ${model.id} was not trained on a dataset here; give targetDatasetId: the dataset the labelled images join`,
      { field: "targetDatasetId" },
    );
  }
  const dataset = isUuid(datasetId)
    ? await prisma.dataset.findUnique({
        where: { id: datasetId },
        include: { versions: { orderBy: { number: "desc" }, take: 1, select: { id: true } } },
      })
    : null;
  const visible = assertCanChange(viewer, dataset, `Dataset ${datasetId}`);
  const latest = visible.versions[0];
  if (!latest)
    throw badInput(`Dataset ${datasetId} has no version yet to add labels to`, { field: "targetDatasetId" });
  return { versionId: latest.id, datasetId: visible.id };
}

import { buffer } from "node:stream/consumers";
import type pg from "pg";
import type { PrismaClient } from "../../generated/prisma/client";
import {
  DEFAULT_EMBEDDING_DIMENSION,
  spaceKey,
  upsertSpace,
  type SpaceRow,
} from "../../datasets/embeddings/embedding-spaces";
import type { TierEmbedder } from "../../datasets/embeddings/tier-embedder";
import { EmbeddingMethod } from "../../inference/inference.types";
import type { BlobStore } from "../../storage/blob-store";
import { VectorStore } from "../../vectors/vector-store";
import { parseVectorText } from "../../vectors/vector-text";

/** The space drift is measured in: the built-in embedder's vectors, as datasets store them ("FEATURE/256"). */
export const DRIFT_SPACE_KEY = spaceKey(EmbeddingMethod.FEATURE, DEFAULT_EMBEDDING_DIMENSION, null);

/** Images per Embed call. */
const EMBED_BATCH = 32;

export interface DriftEmbeddingDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  store: BlobStore;
  embedder: TierEmbedder;
}

interface ToEmbed {
  key: string;
  sha256: string;
}

/**
 * FEATURE vectors of the model's latest `window` served predictions that have an image (their
 * own kept image, or the dataset sample they classified). Prediction.embedding is filled lazily:
 * the ones still without a vector are embedded through the tier now and stored on the row, so the
 * next evaluation reads them back. An image the tier refuses, or one removed since, is left out.
 */
export async function recentPredictionVectors(
  deps: DriftEmbeddingDeps,
  modelId: string,
  window: number,
  signal?: AbortSignal,
): Promise<number[][]> {
  const rows = await deps.prisma.prediction.findMany({
    where: {
      modelVersion: { modelId },
      source: "SERVING",
      OR: [{ embeddingKey: DRIFT_SPACE_KEY }, { imageSha256: { not: null } }, { sampleId: { not: null } }],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: window,
    select: {
      id: true,
      embeddingKey: true,
      embedding: true,
      imageSha256: true,
      sample: { select: { sha256: true } },
    },
  });
  const vectors = rows.filter((row) => row.embeddingKey === DRIFT_SPACE_KEY).map((row) => row.embedding);
  const missing = rows.flatMap((row): ToEmbed[] => {
    const sha256 = row.imageSha256 ?? row.sample?.sha256;
    return row.embeddingKey !== DRIFT_SPACE_KEY && sha256 ? [{ key: row.id, sha256 }] : [];
  });
  const space = await featureSpace(deps.prisma);
  for (const [id, vector] of await embedImages(deps, space, missing, signal)) {
    await deps.prisma.prediction.update({
      where: { id },
      data: { embedding: vector, embeddingKey: DRIFT_SPACE_KEY },
    });
    vectors.push(vector);
  }
  return vectors;
}

/**
 * FEATURE vectors of up to `window` samples of a dataset version (the first by sample id: a fixed,
 * unbiased draw, since ids are random). Vectors the Embedding table lacks are computed through the
 * tier and stored there, exactly as an embedding run would store them.
 */
export async function referenceVectors(
  deps: DriftEmbeddingDeps,
  versionId: string,
  window: number,
  signal?: AbortSignal,
): Promise<number[][]> {
  const members = await deps.prisma.versionSample.findMany({
    where: { versionId },
    orderBy: { sampleId: "asc" },
    take: window,
    select: { sampleId: true, sample: { select: { sha256: true, datasetId: true } } },
  });
  const space = await featureSpace(deps.prisma);
  const { rows } = await deps.pool.query<{ sampleId: string; embedding: string }>(
    `SELECT "sampleId"::text AS "sampleId", "embedding"::text AS embedding FROM "Embedding"
      WHERE "spaceId" = $1 AND "sampleId" = ANY($2::uuid[])`,
    [space.id, members.map((member) => member.sampleId)],
  );
  const stored = new Map(rows.map((row) => [row.sampleId, parseVectorText(row.embedding)]));
  const missing = members
    .filter((member) => !stored.has(member.sampleId))
    .map((member) => ({ key: member.sampleId, sha256: member.sample.sha256 }));
  const computed = await embedImages(deps, space, missing, signal);
  const datasetOf = new Map(members.map((member) => [member.sampleId, member.sample.datasetId]));
  await new VectorStore(deps.pool).upsert(
    space,
    [...computed].map(([sampleId, vector]) => ({ sampleId, datasetId: datasetOf.get(sampleId)!, vector })),
  );
  return [...stored.values(), ...computed.values()];
}

function featureSpace(prisma: PrismaClient): Promise<SpaceRow> {
  return upsertSpace(prisma, {
    key: DRIFT_SPACE_KEY,
    method: EmbeddingMethod.FEATURE,
    dimension: DEFAULT_EMBEDDING_DIMENSION,
    modelVersionId: null,
    qualityThreshold: null,
  });
}

/** Vectors by key for the images the store still has and the tier accepts. */
async function embedImages(
  deps: DriftEmbeddingDeps,
  space: SpaceRow,
  items: readonly ToEmbed[],
  signal?: AbortSignal,
): Promise<Map<string, number[]>> {
  const vectors = new Map<string, number[]>();
  for (let start = 0; start < items.length; start += EMBED_BATCH) {
    const batch: Array<ToEmbed & { bytes: Buffer }> = [];
    for (const item of items.slice(start, start + EMBED_BATCH)) {
      const bytes = await readBlob(deps.store, item.sha256);
      if (bytes) batch.push({ ...item, bytes });
    }
    if (batch.length === 0) continue;
    const outcomes = await deps.embedder.embedEach(
      space,
      batch.map((item) => item.bytes),
      null,
      signal,
    );
    outcomes.forEach((outcome, index) => {
      if ("vector" in outcome) vectors.set(batch[index]!.key, outcome.vector);
    });
  }
  return vectors;
}

/** The blob's bytes, or null once it is gone (a prediction's image expired with its retention). */
async function readBlob(store: BlobStore, sha256: string): Promise<Buffer | null> {
  if (!(await store.stat(sha256))) return null;
  return buffer(await store.openRead(sha256));
}

import type pg from "pg";
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import type { TierEmbedder } from "../../datasets/embeddings/tier-embedder";
import type { BlobStore } from "../../storage/blob-store";
import { VectorStore } from "../../vectors/vector-store";
import { parseVectorText } from "../../vectors/vector-text";
import type { SpaceRow } from "../../datasets/embeddings/embedding-spaces";
import { embedStoredImages, type ImageToEmbed } from "../feature-vectors";

export interface DriftEmbeddingDeps {
  prisma: PrismaClient;
  pool: pg.Pool;
  store: BlobStore;
  embedder: TierEmbedder;
}

export interface RecentVectors {
  vectors: number[][];
  /** When the newest prediction drawn was made: the next test waits for a window after it. */
  newestAt: Date | null;
}

/**
 * The model's served predictions the drift test can draw: with a vector in the space drift
 * compares in (`spaceKey`, the reference version's FEATURE space), or an image to embed.
 */
export const drawablePredictions = (modelId: string, spaceKey: string): Prisma.PredictionWhereInput => ({
  modelVersion: { modelId },
  source: "SERVING",
  OR: [{ embeddingKey: spaceKey }, { imageSha256: { not: null } }, { sampleId: { not: null } }],
});

/**
 * Vectors in `space` (the reference version's FEATURE space, versionFeatureSpace) of the model's
 * latest `window` served predictions that have an image (their own kept image, or the dataset
 * sample they classified). Prediction.embedding is filled lazily: the ones still without a vector
 * in that space are embedded through the tier now and stored on the row, so the next evaluation
 * reads them back. An image the tier refuses, or one removed since, is left out.
 */
export async function recentPredictionVectors(
  deps: DriftEmbeddingDeps,
  space: SpaceRow,
  modelId: string,
  window: number,
  signal?: AbortSignal,
): Promise<RecentVectors> {
  const rows = await deps.prisma.prediction.findMany({
    where: drawablePredictions(modelId, space.key),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: window,
    select: {
      id: true,
      createdAt: true,
      embeddingKey: true,
      embedding: true,
      imageSha256: true,
      sample: { select: { sha256: true } },
    },
  });
  const vectors = rows.filter((row) => row.embeddingKey === space.key).map((row) => row.embedding);
  const missing = rows.flatMap((row): ImageToEmbed[] => {
    const sha256 = row.imageSha256 ?? row.sample?.sha256;
    return row.embeddingKey !== space.key && sha256 ? [{ key: row.id, sha256 }] : [];
  });
  for (const [id, vector] of await embedStoredImages(deps, space, missing, null, signal)) {
    await deps.prisma.prediction.update({
      where: { id },
      data: { embedding: vector, embeddingKey: space.key },
    });
    vectors.push(vector);
  }
  return { vectors, newestAt: rows[0]?.createdAt ?? null };
}

/**
 * Vectors in `space` (the version's FEATURE space) of up to `window` samples of a dataset version
 * (the first by sample id: a fixed, unbiased draw, since ids are random). Vectors the Embedding table lacks are computed through the
 * tier and stored there, exactly as an embedding run would store them.
 */
export async function referenceVectors(
  deps: DriftEmbeddingDeps,
  space: SpaceRow,
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
  const { rows } = await deps.pool.query<{ sampleId: string; embedding: string }>(
    `SELECT "sampleId"::text AS "sampleId", "embedding"::text AS embedding FROM "Embedding"
      WHERE "spaceId" = $1 AND "sampleId" = ANY($2::uuid[])`,
    [space.id, members.map((member) => member.sampleId)],
  );
  const stored = new Map(rows.map((row) => [row.sampleId, parseVectorText(row.embedding)]));
  const missing = members
    .filter((member) => !stored.has(member.sampleId))
    .map((member) => ({ key: member.sampleId, sha256: member.sample.sha256 }));
  const computed = await embedStoredImages(deps, space, missing, null, signal);
  const datasetOf = new Map(members.map((member) => [member.sampleId, member.sample.datasetId]));
  await new VectorStore(deps.pool).upsert(
    space,
    [...computed].map(([sampleId, vector]) => ({ sampleId, datasetId: datasetOf.get(sampleId)!, vector })),
  );
  return [...stored.values(), ...computed.values()];
}

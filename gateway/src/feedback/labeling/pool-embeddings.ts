import type { PrismaClient } from "../../generated/prisma/client";
import type { SpaceRow } from "../../datasets/embeddings/embedding-spaces";
import type { TierEmbedder } from "../../datasets/embeddings/tier-embedder";
import { EmbeddingMethod } from "../../inference/inference.types";
import { limits } from "../../limits";
import type { BlobStore } from "../../storage/blob-store";
import type { Viewer } from "../../users/access";
import { parseVectorText } from "../../vectors/vector-text";
import type { VectorStore } from "../../vectors/vector-store";
import type { Vectors } from "./selection/vectors";
import { embedStoredImages, versionFeatureSpace } from "../feature-vectors";

/** The pool's vectors (one row per item, in order) and the labelled samples' in the same space. */
export interface PoolVectors {
  spaceKey: string;
  embeddings: Vectors;
  covered: Vectors;
}

export interface SamplePoolItem {
  sampleId: string;
  sha256: string;
}

export interface PredictionPoolItem {
  predictionId: string;
  sha256: string;
  embeddingKey: string | null;
  embedding: number[];
}

/**
 * Where KCENTER and CLUSTER measure distances. A dataset pool uses the model version's own ML
 * space when the dataset's embedding runs covered every pool sample there (the model's view of
 * similarity), else the built-in embedder's space the pool's version was embedded in
 * (versionFeatureSpace: "FEATURE/256" for a version embedded under v1, "FEATURE/v2/256" for new
 * uploads); vectors a pool lacks are computed through the tier's Embed and stored like an
 * embedding run's, so the next batch finds them. A prediction pool uses the FEATURE space of the
 * version its labelled set comes from: a prediction's vector is kept on its row
 * (`Prediction.embedding` with its space's key, which drift reads too), computed here when missing
 * or in another space. The labelled
 * set KCENTER starts from is the base version's samples that have vectors in the same space (a
 * seeded sample of limits.labeling.coveredSamples when there are more); none is fine.
 */
export class PoolEmbeddings {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: BlobStore,
    private readonly embedder: TierEmbedder,
    private readonly vectors: VectorStore,
  ) {}

  async forSamples(
    viewer: Viewer,
    modelVersionId: string,
    datasetId: string,
    items: readonly SamplePoolItem[],
    coveredVersionId: string,
    seed: number,
  ): Promise<PoolVectors> {
    const ids = items.map((item) => item.sampleId);
    const space =
      (await this.modelSpaceCovering(modelVersionId, ids)) ??
      (await versionFeatureSpace(this.prisma, coveredVersionId));
    const found = await this.storedVectors(space, ids);
    const missing = items.filter((item) => !found.has(item.sampleId));
    const computed = await this.embed(
      viewer,
      space,
      missing.map((item) => item.sha256),
    );
    const stored = missing.flatMap((item, index) => {
      const vector = computed[index];
      if (!vector) return [];
      found.set(item.sampleId, vector);
      return [{ sampleId: item.sampleId, datasetId, vector }];
    });
    if (stored.length > 0) await this.vectors.upsert(space, stored);
    return {
      spaceKey: space.key,
      embeddings: rows(
        ids.map((id) => found.get(id)),
        space.dimension,
      ),
      covered: await this.coveredVectors(space, coveredVersionId, seed),
    };
  }

  async forPredictions(
    viewer: Viewer,
    items: readonly PredictionPoolItem[],
    coveredVersionId: string,
    seed: number,
  ): Promise<PoolVectors> {
    const space = await versionFeatureSpace(this.prisma, coveredVersionId);
    const has = (item: PredictionPoolItem) =>
      item.embeddingKey === space.key && item.embedding.length === space.dimension;
    const missing = items.filter((item) => !has(item));
    const computed = await this.embed(
      viewer,
      space,
      missing.map((item) => item.sha256),
    );
    const vectors = new Map(items.filter(has).map((item) => [item.predictionId, item.embedding.map(Number)]));
    const updates = missing.flatMap((item, index) => {
      const vector = computed[index];
      if (!vector) return [];
      vectors.set(item.predictionId, vector);
      return [
        this.prisma.prediction.update({
          where: { id: item.predictionId },
          data: { embeddingKey: space.key, embedding: vector },
        }),
      ];
    });
    if (updates.length > 0) await this.prisma.$transaction(updates);
    return {
      spaceKey: space.key,
      embeddings: rows(
        items.map((item) => vectors.get(item.predictionId)),
        space.dimension,
      ),
      covered: await this.coveredVectors(space, coveredVersionId, seed),
    };
  }

  /** The version's ML space holding a vector for every pool sample, if there is one. */
  private async modelSpaceCovering(modelVersionId: string, sampleIds: string[]): Promise<SpaceRow | null> {
    const [best] = await this.prisma.$queryRaw<
      Array<{ id: string; key: string; dimension: number; covered: number }>
    >`
      SELECT s.id::text AS id, s.key, s.dimension, count(e."sampleId")::int AS covered
      FROM "EmbeddingSpace" s
      JOIN "Embedding" e ON e."spaceId" = s.id AND e."sampleId" = ANY(${sampleIds}::uuid[])
      WHERE s.method = 'ML' AND s."modelVersionId" = ${modelVersionId}::uuid
      GROUP BY s.id ORDER BY covered DESC, s.key LIMIT 1`;
    if (!best || best.covered < sampleIds.length) return null;
    return { ...best, method: EmbeddingMethod.ML, modelVersionId };
  }

  private async storedVectors(space: SpaceRow, sampleIds: string[]): Promise<Map<string, number[]>> {
    const found = await this.prisma.$queryRaw<Array<{ sampleId: string; embedding: string }>>`
      SELECT "sampleId"::text AS "sampleId", embedding::text AS embedding FROM "Embedding"
      WHERE "spaceId" = ${space.id}::uuid AND "sampleId" = ANY(${sampleIds}::uuid[])`;
    return new Map(found.map((row) => [row.sampleId, parseVectorText(row.embedding)]));
  }

  /** Vectors of the images, in order; null for an image that is gone or the tier refused. */
  private async embed(viewer: Viewer, space: SpaceRow, hashes: readonly string[]) {
    const items = hashes.map((sha256, index) => ({ key: String(index), sha256 }));
    const found = await embedStoredImages(
      { store: this.store, embedder: this.embedder },
      space,
      items,
      viewer,
    );
    return hashes.map((_, index) => found.get(String(index)) ?? null);
  }

  private async coveredVectors(space: SpaceRow, versionId: string, seed: number): Promise<Vectors> {
    const found = await this.prisma.$queryRaw<Array<{ embedding: string }>>`
      SELECT e.embedding::text AS embedding
      FROM "VersionSample" vs
      JOIN "Embedding" e ON e."sampleId" = vs."sampleId" AND e."spaceId" = ${space.id}::uuid
      WHERE vs."versionId" = ${versionId}::uuid
      ORDER BY md5(vs."sampleId"::text || ${String(seed)}) LIMIT ${limits.labeling.coveredSamples}`;
    return rows(
      found.map((row) => parseVectorText(row.embedding)),
      space.dimension,
    );
  }
}

/**
 * Row-major vectors; an item without one (its image refused by the embedder) sits at the origin,
 * distance 1 from every unit vector, so it neither attracts nor repels the picks much.
 */
function rows(vectors: ReadonlyArray<number[] | undefined>, dimension: number): Vectors {
  const values = new Float64Array(vectors.length * dimension);
  vectors.forEach((vector, i) => {
    if (vector && vector.length === dimension) values.set(vector, i * dimension);
  });
  return { values, dimension };
}

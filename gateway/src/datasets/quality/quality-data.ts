import type { PrismaClient } from "../../generated/prisma/client";
import { qualityThresholds as limits } from "./quality-thresholds";
import { parseVectorText } from "../../vectors/vector-text";
import type { QualitySample } from "./quality-input";

/** The embedding space the label check used, and how many of the version's samples it held. */
export interface EmbeddingBasis {
  spaceId: string;
  spaceKey: string;
  dimension: number;
  samples: number;
}

/** The version's samples with their labels and measures, ordered by path. */
export function loadQualitySamples(prisma: PrismaClient, versionId: string): Promise<QualitySample[]> {
  return prisma.$queryRaw<QualitySample[]>`
    SELECT s.id::text AS id, vs."classId"::text AS "classId", c.name AS "className",
           s."originalPath", s.sha256, s."perceptualHash", s.width, s.height, s."blurScore",
           s."meanLuma", s."clippedDarkFraction", s."clippedBrightFraction"
      FROM "VersionSample" vs
      JOIN "Sample" s ON s.id = vs."sampleId"
      JOIN "DatasetClass" c ON c.id = vs."classId"
     WHERE vs."versionId" = ${versionId}::uuid
     ORDER BY s."originalPath", s.id`;
}

/**
 * The space of the version's latest completed embedding run, with how many of its samples have a
 * vector there; null when no run has completed or too few samples to have k neighbours. Runs in
 * progress do not count, so reads during a run do not recompute. Cheap enough to run on every
 * read, which is how a stored report notices that a run completed since it was computed.
 */
export async function embeddingBasis(
  prisma: PrismaClient,
  versionId: string,
): Promise<EmbeddingBasis | null> {
  const [row] = await prisma.$queryRaw<EmbeddingBasis[]>`
    SELECT r."spaceId"::text AS "spaceId", sp.key AS "spaceKey", sp.dimension,
           (SELECT count(*)::int
              FROM "VersionSample" vs
              JOIN "Embedding" e ON e."sampleId" = vs."sampleId" AND e."spaceId" = r."spaceId"
             WHERE vs."versionId" = r."versionId") AS samples
      FROM "EmbeddingRun" r
      JOIN "EmbeddingSpace" sp ON sp.id = r."spaceId"
      JOIN "Job" j ON j.id = r."jobId"
     WHERE r."versionId" = ${versionId}::uuid AND j.status = 'SUCCEEDED'
     ORDER BY r."updatedAt" DESC
     LIMIT 1`;
  return row && row.samples > limits.labelNeighbours ? row : null;
}

/** The version's vectors in one space, by sample path order. */
export async function loadVersionVectors(
  prisma: PrismaClient,
  versionId: string,
  spaceId: string,
): Promise<Array<{ sampleId: string; vector: number[] }>> {
  const rows = await prisma.$queryRaw<Array<{ sampleId: string; embedding: string }>>`
    SELECT e."sampleId"::text AS "sampleId", e.embedding::text AS embedding
      FROM "VersionSample" vs
      JOIN "Embedding" e ON e."sampleId" = vs."sampleId" AND e."spaceId" = ${spaceId}::uuid
      JOIN "Sample" s ON s.id = vs."sampleId"
     WHERE vs."versionId" = ${versionId}::uuid
     ORDER BY s."originalPath", s.id`;
  return rows.map(({ sampleId, embedding }) => ({ sampleId, vector: parseVectorText(embedding) }));
}

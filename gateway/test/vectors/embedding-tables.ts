import type pg from "pg";

/**
 * The tables this module's proposed migration creates (see the vector-store report); created here
 * only while prisma/migrations lacks them, so the tests keep passing once the migration lands.
 */
const PROPOSED_MIGRATION = `
CREATE TABLE "EmbeddingSpace" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "modelVersionId" UUID,
    "dimension" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EmbeddingSpace_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Embedding" (
    "spaceId" UUID NOT NULL,
    "sampleId" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "embedding" vector NOT NULL,
    "quality" DOUBLE PRECISION,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Embedding_pkey" PRIMARY KEY ("spaceId","sampleId")
);
CREATE UNIQUE INDEX "EmbeddingSpace_key_key" ON "EmbeddingSpace"("key");
CREATE INDEX "Embedding_spaceId_datasetId_idx" ON "Embedding"("spaceId", "datasetId");
CREATE INDEX "Embedding_sampleId_idx" ON "Embedding"("sampleId");
ALTER TABLE "Embedding" ADD CONSTRAINT "Embedding_spaceId_fkey" FOREIGN KEY ("spaceId") REFERENCES "EmbeddingSpace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
`;

export async function ensureEmbeddingTables(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ exists: boolean }>(
    `SELECT to_regclass('"Embedding"') IS NOT NULL AS exists`,
  );
  if (!rows[0]!.exists) await pool.query(PROPOSED_MIGRATION);
}

/** Registers a space row and returns what the store needs. */
export async function createSpace(
  pool: pg.Pool,
  id: string,
  dimension: number,
  method = "FEATURE",
): Promise<{ id: string; dimension: number }> {
  await pool.query(
    `INSERT INTO "EmbeddingSpace" ("id", "key", "method", "dimension") VALUES ($1, $2, $3, $4)`,
    [id, `${method}/${dimension}/${id}`, method, dimension],
  );
  return { id, dimension };
}

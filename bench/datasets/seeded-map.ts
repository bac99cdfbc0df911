import type pg from "pg";
import type { GatewayClient } from "../registry/http-client";
import { seedSampleVersion } from "./seeded-samples";

export const MAP_CLASSES = 20;
export const MAP_DIMENSION = 256;
export const MAP_SPACE = `FEATURE/${MAP_DIMENSION}`;

const COMPUTE = `mutation ($id: ID!) { computeEmbeddingMap(versionId: $id, space: "${MAP_SPACE}") { status } }`;
const STATE = `query ($id: ID!) { datasetVersion(id: $id) { embeddingMap(space: "${MAP_SPACE}") { status error { message } } } }`;

export interface SeededVersion {
  datasetId: string;
  versionId: string;
}

/** Asks for the version's PCA map and waits until its job has stored it; resolves to the seconds that took. */
export async function computeMap(client: GatewayClient, versionId: string): Promise<number> {
  const started = Date.now();
  await client.graphql(COMPUTE, { id: versionId });
  for (;;) {
    const { datasetVersion } = await client.graphql<{
      datasetVersion: { embeddingMap: { status: string; error: { message: string } | null } };
    }>(STATE, { id: versionId });
    const { status, error } = datasetVersion.embeddingMap;
    if (status === "SUCCEEDED") return (Date.now() - started) / 1000;
    if (status === "FAILED" || status === "CANCELLED")
      throw new Error(`the map job ${status}: ${error?.message}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Version 1 of a new dataset, `samples` samples in 20 classes (seedSampleVersion), each with a
 * vector near its class's own direction, and a SUCCEEDED embedding run of that space (what the
 * dashboard needs to offer the map), all written with SQL.
 */
export async function seedMapVersion(
  pool: pg.Pool,
  ownerId: string,
  samples: number,
): Promise<SeededVersion> {
  const { datasetId, versionId } = await seedSampleVersion(pool, ownerId, "bench-map", samples, MAP_CLASSES);
  const { rows: spaces } = await pool.query<{ id: string }>(
    `INSERT INTO "EmbeddingSpace" (id, key, method, dimension) VALUES (gen_random_uuid(), $1, 'FEATURE', $2)
     ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
    [MAP_SPACE, MAP_DIMENSION],
  );
  // Each class a direction (sin of the dimension times the class), plus noise per sample.
  await pool.query(
    `INSERT INTO "Embedding" ("spaceId", "sampleId", "datasetId", embedding)
     SELECT $1, vs."sampleId", $2,
            (SELECT array_agg((sin(d * (c.n + 1)) + random() * 0.5 + 0 * length(vs."sampleId"::text))::real ORDER BY d)
             FROM generate_series(1, $4) d)::vector
     FROM "VersionSample" vs
     JOIN (SELECT id, row_number() OVER (ORDER BY name) AS n FROM "DatasetClass" WHERE "datasetId" = $2) c
       ON c.id = vs."classId"
     WHERE vs."versionId" = $3`,
    [spaces[0]!.id, datasetId, versionId, MAP_DIMENSION],
  );
  // A job that ran and the run it stands for: the version's page lists the space as ready.
  await pool.query(
    `WITH job AS (
       INSERT INTO "Job" (id, kind, payload, "ownerId", status, progress, "maxAttempts", "finishedAt")
       VALUES (gen_random_uuid(), 'embed-dataset-version', '{}', $1, 'SUCCEEDED', 1, 1, now()) RETURNING id)
     INSERT INTO "EmbeddingRun" (id, "versionId", "spaceId", "jobId", total, done, "updatedAt")
     SELECT gen_random_uuid(), $2, $3, job.id, $4, $4, now() FROM job`,
    [ownerId, versionId, spaces[0]!.id, samples],
  );
  return { datasetId, versionId };
}

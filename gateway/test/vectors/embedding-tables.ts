import type pg from "pg";

/** The owner of every fixture dataset: Embedding rows reference samples, which need a dataset and its owner. */
const FIXTURE_OWNER = "00000000-0000-4000-8000-0000000f1f70";
/** One blob row stands in for every fixture sample's image; no file is read. */
const FIXTURE_BLOB = "0".repeat(64);
const SAMPLE_BATCH = 10_000;

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

/**
 * Creates the dataset (and its owner, once) and one sample row per id, so that vectors can be
 * stored for them; ids that exist already are left as they are.
 */
export async function createSamples(
  pool: pg.Pool,
  datasetId: string,
  sampleIds: readonly string[],
): Promise<void> {
  await pool.query(
    `INSERT INTO "User" ("id", "handle", "updatedAt") VALUES ($1, 'vector-fixture', now()) ON CONFLICT DO NOTHING`,
    [FIXTURE_OWNER],
  );
  await pool.query(`INSERT INTO "Blob" ("sha256", "sizeBytes") VALUES ($1, 0) ON CONFLICT DO NOTHING`, [
    FIXTURE_BLOB,
  ]);
  await pool.query(
    `INSERT INTO "Dataset" ("id", "ownerId", "name", "tags", "updatedAt") VALUES ($1::uuid, $2, $1::text, '{}', now())
     ON CONFLICT DO NOTHING`,
    [datasetId, FIXTURE_OWNER],
  );
  for (let start = 0; start < sampleIds.length; start += SAMPLE_BATCH) {
    await pool.query(
      `INSERT INTO "Sample" ("id", "datasetId", "sha256", "originalPath", "sizeBytes", "format", "width", "height",
                             "perceptualHash", "blurScore", "meanLuma", "clippedDarkFraction", "clippedBrightFraction")
       SELECT id, $2, $3, id::text, 0, 'png', 1, 1, '0', 0, 0, 0, 0 FROM unnest($1::uuid[]) AS t(id)
       ON CONFLICT DO NOTHING`,
      [sampleIds.slice(start, start + SAMPLE_BATCH), datasetId, FIXTURE_BLOB],
    );
  }
}

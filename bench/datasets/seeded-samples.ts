import type pg from "pg";

/** Rows per seeding statement, so the embedded database keeps answering the gateway's own queries. */
const SEED_CHUNK = 2_000;

export interface SeededSamples {
  datasetId: string;
  versionId: string;
  /** The version's classes in name order ("class-00", "class-01", …). */
  classIds: string[];
}

/**
 * Version 1 of a new dataset named `name`: `samples` samples (all of one stored blob) in `classes`
 * classes, written with SQL. Paths as a ZIP of class folders gives them: each class's files
 * together, in path order; every fifth sample in the test split.
 */
export async function seedSampleVersion(
  pool: pg.Pool,
  ownerId: string,
  name: string,
  samples: number,
  classes: number,
): Promise<SeededSamples> {
  const sha = "0".repeat(64);
  await pool.query(`INSERT INTO "Blob" (sha256, "sizeBytes") VALUES ($1, 1) ON CONFLICT DO NOTHING`, [sha]);
  const {
    rows: [dataset],
  } = await pool.query<{ id: string }>(
    `INSERT INTO "Dataset" (id, "ownerId", name, tags, "updatedAt")
     VALUES (gen_random_uuid(), $1, $2, '{}', now()) RETURNING id`,
    [ownerId, name],
  );
  const {
    rows: [version],
  } = await pool.query<{ id: string }>(
    `INSERT INTO "DatasetVersion" (id, "datasetId", number, source, "createdById", "imageCount", "classCount")
     VALUES (gen_random_uuid(), $1, 1, 'ZIP', $2, $3, $4) RETURNING id`,
    [dataset!.id, ownerId, samples, classes],
  );
  const { rows: created } = await pool.query<{ id: string; name: string }>(
    `INSERT INTO "DatasetClass" (id, "datasetId", name)
     SELECT gen_random_uuid(), $1, 'class-' || lpad(c::text, 2, '0') FROM generate_series(0, $2 - 1) c
     RETURNING id, name`,
    [dataset!.id, classes],
  );
  const classIds = created.sort((a, b) => a.name.localeCompare(b.name)).map((c) => c.id);
  for (let from = 0; from < samples; from += SEED_CHUNK) {
    await pool.query(
      `WITH numbered AS (
         SELECT i, gen_random_uuid() AS id, (i::bigint * $4 / $3)::int AS class
         FROM generate_series($7::int, LEAST($7::int + $8::int, $3::int) - 1) i),
       inserted AS (
         INSERT INTO "Sample" (id, "datasetId", sha256, "originalPath", "sizeBytes", format, width, height,
                               "perceptualHash", "blurScore", "meanLuma", "clippedDarkFraction", "clippedBrightFraction")
         SELECT id, $1, $2, 'class-' || lpad(class::text, 2, '0') || '/image-' || lpad(i::text, 6, '0') || '.png',
                1, 'png', 64, 64, '0000000000000000', 100, 0.5, 0, 0
         FROM numbered)
       INSERT INTO "VersionSample" ("versionId", "sampleId", "classId", split)
       SELECT $5, n.id, ($6::uuid[])[n.class + 1], CASE WHEN n.i % 5 = 0 THEN 'test' ELSE 'train' END
       FROM numbered n`,
      [dataset!.id, sha, samples, classes, version!.id, classIds, from, SEED_CHUNK],
    );
  }
  return { datasetId: dataset!.id, versionId: version!.id, classIds };
}

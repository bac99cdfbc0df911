import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { projectTo2d } from "../../gateway/src/datasets/embeddings/maps/pca";
import { deferCleanup } from "../lib/cleanup";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { startGatewayUnderTest } from "../registry/gateway-under-test";
import { GatewayClient } from "../registry/http-client";

const CLASSES = 20;
const DIMENSION = 256;
const SPACE = `FEATURE/${DIMENSION}`;
/** Pages of the old path actually fetched; its whole cost is extrapolated from them (a lower bound: its offsets grow). */
const OLD_PAGES = 20;
const OLD_PAGE_SIZE = 100;
const REPEATS = 3;
/** Rows the old projection is timed on (its cost is linear in them). */
const OLD_PCA_ROWS = 5_000;

const COMPUTE = `mutation ($id: ID!) { computeEmbeddingMap(versionId: $id, space: "${SPACE}") { status } }`;
const STATE = `query ($id: ID!) { datasetVersion(id: $id) { embeddingMap(space: "${SPACE}") { status error { message } } } }`;
const MAP = `query ($id: ID!) { datasetVersion(id: $id) { embeddingMap(space: "${SPACE}") {
  status explainedVariance points { sampleIds classIds coordinates } } } }`;
const VECTORS = `query ($id: ID!, $first: Int, $after: String) {
  embeddings(datasetVersionId: $id, space: "${SPACE}", first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage } edges { node { sampleId vector } } } }`;

interface VectorPage {
  pageInfo: { endCursor: string | null };
  edges: Array<{ node: { sampleId: string; vector: number[] } }>;
}

interface Points {
  sampleIds: string[];
  classIds: string[];
  coordinates: number[];
}

/**
 * (e) The embedding map at `points` points: a version of that many samples and vectors written with
 * SQL, its PCA map computed once by the job, then what opening the map costs now — the stored
 * map's query, answered and parsed, coordinates as a Float32Array as the dashboard takes them —
 * vs what it cost before: every vector fetched through `embeddings` 100 at a time, parsed and
 * packed, then projected (the same PCA code, here in-process as the dashboard's worker ran it).
 */
export async function benchEmbeddingMap(points: number): Promise<Ratio> {
  const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tessera-bench-"));
  const removeWorkDir = deferCleanup(() => fs.promises.rm(workDir, { recursive: true, force: true }));
  const gateway = await startGatewayUnderTest(path.join(workDir, "data"));
  const pool = new pg.Pool({ connectionString: gateway.databaseUrl, max: 2 });
  let client = new GatewayClient(gateway.url, gateway.adminToken, 2);
  try {
    console.log(
      `\n(e) gateway at ${gateway.url}; node ${process.version}, ${os.cpus().length} CPUs, ` +
        `load average ${os.loadavg()[0]!.toFixed(2)}`,
    );
    const { me } = await client.graphql<{ me: { id: string } }>(`{ me { id } }`);
    let started = Date.now();
    const versionId = await seedVersion(pool, me.id, points);
    console.log(`(e) seeded ${points} samples and ${DIMENSION}-d vectors with SQL in ${seconds(started)} s`);
    // The seeding outlasts the server's keep-alive: a fresh client does not reuse a closed socket.
    client = new GatewayClient(gateway.url, gateway.adminToken, 2);

    started = Date.now();
    await client.graphql(COMPUTE, { id: versionId });
    for (;;) {
      const { datasetVersion } = await client.graphql<{
        datasetVersion: { embeddingMap: { status: string; error: { message: string } | null } };
      }>(STATE, { id: versionId });
      const { status, error } = datasetVersion.embeddingMap;
      if (status === "SUCCEEDED") break;
      if (status === "FAILED" || status === "CANCELLED")
        throw new Error(`the map job ${status}: ${error?.message}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const computeSeconds = (Date.now() - started) / 1000;

    const openStored = async () => {
      const { datasetVersion } = await client.graphql<{
        datasetVersion: { embeddingMap: { points: Points } };
      }>(MAP, {
        id: versionId,
      });
      const { sampleIds, coordinates } = datasetVersion.embeddingMap.points;
      if (sampleIds.length !== points)
        throw new Error(`the map has ${sampleIds.length} points, expected ${points}`);
      return Float32Array.from(coordinates);
    };
    const stored: number[] = [];
    await openStored();
    for (let i = 0; i < REPEATS; i++) stored.push(await millis(openStored));
    stored.sort((a, b) => a - b);
    const storedMs = stored[Math.floor(REPEATS / 2)]!;

    // Before: pages of vectors (from offset 0, the cheapest), then the projection of all of them.
    const fetchedAt = process.hrtime.bigint();
    let after: string | null = null;
    let dimension = 0;
    for (let page = 0; page < OLD_PAGES; page++) {
      const { embeddings }: { embeddings: VectorPage } = await client.graphql<{ embeddings: VectorPage }>(
        VECTORS,
        { id: versionId, first: OLD_PAGE_SIZE, after },
      );
      const values = new Float32Array(embeddings.edges.length * DIMENSION);
      embeddings.edges.forEach((edge, row) => values.set(edge.node.vector, row * DIMENSION));
      dimension = DIMENSION;
      after = embeddings.pageInfo.endCursor;
    }
    const pageMs = Number(process.hrtime.bigint() - fetchedAt) / 1e6 / OLD_PAGES;
    const vectors = await readAllVectors(pool, versionId);
    // The dashboard's worker applied the covariance pass by pass (`covarianceUpTo: 0` is that code),
    // each of its iterations linear in the rows: timed on at most OLD_PCA_ROWS, scaled to all.
    const rows = Math.min(points, OLD_PCA_ROWS);
    const subset = vectors.subarray(0, rows * dimension);
    const projectMs =
      ((await millis(async () => projectTo2d(subset, rows, dimension, { covarianceUpTo: 0 }))) * points) /
      rows;
    const oldMs = (pageMs * points) / OLD_PAGE_SIZE + projectMs;

    printTable(
      `(e) embedding map of ${points} points (${CLASSES} classes, ${DIMENSION} dimensions)`,
      ["step", "ms"],
      [
        [
          "computeEmbeddingMap (PCA job: read vectors, project, store), once",
          formatNumber(computeSeconds * 1000),
        ],
        [`open: stored map query + JSON parse, p50 of ${REPEATS}`, formatNumber(storedMs)],
        [
          `before: one page of ${OLD_PAGE_SIZE} vectors, mean of the first ${OLD_PAGES}`,
          formatNumber(pageMs),
        ],
        [
          `before: PCA of ${points} vectors (the dashboard's worker's code; timed on ${Math.min(points, OLD_PCA_ROWS)})`,
          formatNumber(projectMs),
        ],
        [`before: open = ${Math.ceil(points / OLD_PAGE_SIZE)} pages + PCA (at least)`, formatNumber(oldMs)],
      ],
    );
    return {
      name: "datasets.embedding-map",
      subject: { label: "stored map", value: points / (storedMs / 1000), unit: "points/s" },
      baseline: { label: "fetch every vector + PCA", value: points / (oldMs / 1000), unit: "points/s" },
      note: `open in ${formatNumber(storedMs / 1000)} s vs ≥ ${formatNumber(oldMs / 1000)} s; computed once in ${formatNumber(computeSeconds)} s`,
    };
  } finally {
    await pool.end();
    await gateway.stop();
    await removeWorkDir();
  }
}

async function millis(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const seconds = (since: number) => formatNumber((Date.now() - since) / 1000);

async function readAllVectors(pool: pg.Pool, versionId: string): Promise<Float32Array> {
  const { rows } = await pool.query<{ vector: string }>(
    `SELECT e.embedding::text AS vector FROM "VersionSample" vs
     JOIN "Embedding" e ON e."sampleId" = vs."sampleId" WHERE vs."versionId" = $1 ORDER BY vs."sampleId"`,
    [versionId],
  );
  return Float32Array.from(rows.flatMap((row) => row.vector.slice(1, -1).split(",").map(Number)));
}

/** A version of `samples` samples in 20 classes, each with a vector near its class's own direction. */
async function seedVersion(pool: pg.Pool, ownerId: string, samples: number): Promise<string> {
  const sha = "0".repeat(64);
  await pool.query(`INSERT INTO "Blob" (sha256, "sizeBytes") VALUES ($1, 1) ON CONFLICT DO NOTHING`, [sha]);
  const { rows: datasets } = await pool.query<{ id: string }>(
    `INSERT INTO "Dataset" (id, "ownerId", name, tags, "updatedAt")
     VALUES (gen_random_uuid(), $1, 'bench-map', '{}', now()) RETURNING id`,
    [ownerId],
  );
  const datasetId = datasets[0]!.id;
  const { rows: versions } = await pool.query<{ id: string }>(
    `INSERT INTO "DatasetVersion" (id, "datasetId", number, source, "createdById", "imageCount", "classCount")
     VALUES (gen_random_uuid(), $1, 1, 'ZIP', $2, $3, $4) RETURNING id`,
    [datasetId, ownerId, samples, CLASSES],
  );
  const versionId = versions[0]!.id;
  const { rows: classes } = await pool.query<{ id: string }>(
    `INSERT INTO "DatasetClass" (id, "datasetId", name)
     SELECT gen_random_uuid(), $1, 'class-' || lpad(c::text, 2, '0') FROM generate_series(0, $2 - 1) c RETURNING id`,
    [datasetId, CLASSES],
  );
  await pool.query(
    `WITH numbered AS (
       SELECT i, gen_random_uuid() AS id, i % $4 AS class FROM generate_series(0, $3 - 1) i),
     inserted AS (
       INSERT INTO "Sample" (id, "datasetId", sha256, "originalPath", "sizeBytes", format, width, height,
                             "perceptualHash", "blurScore", "meanLuma", "clippedDarkFraction", "clippedBrightFraction")
       SELECT id, $1, $2, 'class-' || lpad(class::text, 2, '0') || '/image-' || lpad(i::text, 6, '0') || '.png',
              1, 'png', 64, 64, '0000000000000000', 100, 0.5, 0, 0
       FROM numbered)
     INSERT INTO "VersionSample" ("versionId", "sampleId", "classId")
     SELECT $5, n.id, ($6::uuid[])[n.class + 1] FROM numbered n`,
    [datasetId, sha, samples, CLASSES, versionId, classes.map((c) => c.id)],
  );
  const { rows: spaces } = await pool.query<{ id: string }>(
    `INSERT INTO "EmbeddingSpace" (id, key, method, dimension) VALUES (gen_random_uuid(), $1, 'FEATURE', $2)
     ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
    [SPACE, DIMENSION],
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
    [spaces[0]!.id, datasetId, versionId, DIMENSION],
  );
  return versionId;
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { projectTo2d } from "../../gateway/src/datasets/embeddings/maps/pca";
import { deferCleanup } from "../lib/cleanup";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { startGatewayUnderTest } from "../registry/gateway-under-test";
import { GatewayClient } from "../registry/http-client";
import { computeMap, MAP_CLASSES, MAP_DIMENSION, MAP_SPACE, seedMapVersion } from "./seeded-map";

/** Pages of the old path actually fetched; its whole cost is extrapolated from them (a lower bound: its offsets grow). */
const OLD_PAGES = 20;
const OLD_PAGE_SIZE = 100;
const REPEATS = 3;
/** Rows the old projection is timed on (its cost is linear in them). */
const OLD_PCA_ROWS = 5_000;

const MAP = `query ($id: ID!) { datasetVersion(id: $id) { embeddingMap(space: "${MAP_SPACE}") {
  status explainedVariance points { sampleIds classIds coordinates } } } }`;
const VECTORS = `query ($id: ID!, $first: Int, $after: String) {
  embeddings(datasetVersionId: $id, space: "${MAP_SPACE}", first: $first, after: $after) {
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
    const started = Date.now();
    const { versionId } = await seedMapVersion(pool, me.id, points);
    console.log(
      `(e) seeded ${points} samples and ${MAP_DIMENSION}-d vectors with SQL in ${seconds(started)} s`,
    );
    // The seeding outlasts the server's keep-alive: a fresh client does not reuse a closed socket.
    client = new GatewayClient(gateway.url, gateway.adminToken, 2);

    const computeSeconds = await computeMap(client, versionId);

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
      const values = new Float32Array(embeddings.edges.length * MAP_DIMENSION);
      embeddings.edges.forEach((edge, row) => values.set(edge.node.vector, row * MAP_DIMENSION));
      dimension = MAP_DIMENSION;
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
      `(e) embedding map of ${points} points (${MAP_CLASSES} classes, ${MAP_DIMENSION} dimensions)`,
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

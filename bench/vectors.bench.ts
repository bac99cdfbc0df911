import os from "node:os";
import { startEphemeralPostgres } from "../gateway/src/db/embedded-postgres";
import { applyMigrations } from "../gateway/src/db/migrations";
import { createPgPool } from "../gateway/src/db/prisma";
import { VectorStore, type Neighbour } from "../gateway/src/vectors/vector-store";
import { createSamples, createSpace } from "../gateway/test/vectors/embedding-tables";
import { defineBenchmark } from "./lib/benchmark";
import { deferCleanup } from "./lib/cleanup";
import { latencies, secondsSince, timed } from "./lib/measure";
import { formatNumber, printTable, type Ratio } from "./lib/report";
import { clusteredVectors, uuidOf } from "./vectors/data";

const DIMENSION = 256;
const SPACE = { id: uuidOf(1), dimension: DIMENSION };
const DATASET = uuidOf(2);
const K = 10;

interface Options {
  vectors: number;
  queries: number;
  efSearch: number[];
  databaseUrl: string | null;
}

export default defineBenchmark({
  description:
    "similarity search: HNSW (cosine) vs exact scan at 100k 256-d vectors  [--vectors=N] [--queries=N] [--ef=40,100] [--db=URL]",
  async run(args) {
    const options = parseArgs(args);
    const embedded = options.databaseUrl ? null : await startEphemeralPostgres();
    const stopDatabase = deferCleanup(async () => embedded?.close());
    const url = options.databaseUrl ?? embedded!.url;
    // Index builds keep the graph in memory only up to maintenance_work_mem; 100k × 256-d needs ~150 MB.
    const pool = createPgPool(url, { poolMax: 2 });
    pool.on("connect", (client) => void client.query("SET maintenance_work_mem = '1GB'"));
    try {
      await applyMigrations(url);
      await pool.query(`DELETE FROM "EmbeddingSpace" WHERE "id" = $1`, [SPACE.id]);
      await createSpace(pool, SPACE.id, DIMENSION);
      const { rows } = await pool.query<{ v: string; pg: string }>(
        `SELECT extversion AS v, current_setting('server_version') AS pg FROM pg_extension WHERE extname = 'vector'`,
      );
      console.log(
        `${embedded ? "embedded PGlite" : "PostgreSQL"} ${rows[0]!.pg}, pgvector ${rows[0]!.v}; ` +
          `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`,
      );
      return await measure(new VectorStore(pool), pool, options);
    } finally {
      await pool.end();
      await stopDatabase();
    }
  },
});

async function measure(store: VectorStore, pool: import("pg").Pool, options: Options): Promise<Ratio[]> {
  const data = clusteredVectors(options.vectors + options.queries, DIMENSION, 200, 42);
  const queries = data.slice(options.vectors);
  const rows = data
    .slice(0, options.vectors)
    .map((vector, i) => ({ sampleId: uuidOf(1_000_000 + i), datasetId: DATASET, vector }));
  await createSamples(
    pool,
    DATASET,
    rows.map((row) => row.sampleId),
  );
  const insert = await timed(() => store.upsert(SPACE, rows));
  await pool.query(`ANALYZE "Embedding"`);
  const build = await timed(() => store.ensureIndex(SPACE));
  const { rows: size } = await pool.query<{ size: string }>(
    `SELECT pg_size_pretty(pg_relation_size($1)) AS size`,
    [`"Embedding_hnsw_${SPACE.id.replace(/-/g, "")}"`],
  );
  printTable(
    `${options.vectors} vectors of ${DIMENSION} dimensions, 200 clusters`,
    ["step", "seconds", "vectors/s"],
    [
      [
        "insert (batches of 1,000)",
        formatNumber(insert.seconds),
        formatNumber(options.vectors / insert.seconds),
      ],
      [
        `HNSW build (m 16, ef_construction 64; ${size[0]!.size})`,
        formatNumber(build.seconds),
        formatNumber(options.vectors / build.seconds),
      ],
    ],
  );

  const exact = await runQueries(queries, (query) => store.exactSearch(SPACE, query, { k: K }));
  const table: string[][] = [row("exact scan", exact, null)];
  const ratios: Ratio[] = [];
  for (const efSearch of options.efSearch) {
    const hnsw = await runQueries(queries, (query) => store.search(SPACE, query, { k: K, efSearch }));
    const recall = recallAt(hnsw.results, exact.results);
    table.push(row(`HNSW ef_search ${efSearch}`, hnsw, recall));
    ratios.push({
      name: `vectors.hnsw-ef${efSearch}`,
      subject: { label: "HNSW", value: hnsw.perSecond, unit: "queries/s" },
      baseline: { label: "exact scan", value: exact.perSecond, unit: "queries/s" },
      aim: 10,
      note: `recall@${K} ${recall.toFixed(3)} (aim ≥ 0.95), p50 ${formatNumber(hnsw.p50)} ms, p99 ${formatNumber(hnsw.p99)} ms`,
    });
  }
  printTable(
    `${options.queries} queries, k = ${K}, one at a time`,
    ["search", "queries/s", "p50 ms", "p99 ms", `recall@${K}`],
    table,
  );
  return ratios;
}

interface QueryRun {
  results: Neighbour[][];
  perSecond: number;
  p50: number;
  p99: number;
}

async function runQueries(
  queries: Float32Array[],
  search: (query: Float32Array) => Promise<Neighbour[]>,
): Promise<QueryRun> {
  await search(queries[0]!); // warm-up: loads the index pages and the plan
  const millis: number[] = [];
  const results: Neighbour[][] = [];
  const start = process.hrtime.bigint();
  for (const query of queries) {
    const sent = process.hrtime.bigint();
    results.push(await search(query));
    millis.push(Number(process.hrtime.bigint() - sent) / 1e6);
  }
  const { p50, p99 } = latencies(millis);
  return { results, perSecond: queries.length / secondsSince(start), p50, p99 };
}

/** Share of the true k nearest neighbours the approximate search returned. */
function recallAt(found: Neighbour[][], truth: Neighbour[][]): number {
  let hits = 0;
  let total = 0;
  truth.forEach((expected, i) => {
    const got = new Set(found[i]!.map((n) => n.sampleId));
    hits += expected.filter((n) => got.has(n.sampleId)).length;
    total += expected.length;
  });
  return hits / total;
}

function row(label: string, run: QueryRun, recall: number | null): string[] {
  return [
    label,
    formatNumber(run.perSecond),
    formatNumber(run.p50),
    formatNumber(run.p99),
    recall === null ? "1 (reference)" : recall.toFixed(3),
  ];
}

function parseArgs(args: string[]): Options {
  const options: Options = { vectors: 100_000, queries: 100, efSearch: [40, 100], databaseUrl: null };
  for (const arg of args) {
    const [, name, value] = /^--(vectors|queries|ef|db)=(.+)$/.exec(arg) ?? [];
    if (name === "vectors" || name === "queries") options[name] = Number(value);
    else if (name === "ef") options.efSearch = value!.split(",").map(Number);
    else if (name === "db") options.databaseUrl = value!;
    else
      throw new Error(
        `Unknown argument "${arg}": expected --vectors=N, --queries=N, --ef=40,100 or --db=postgresql://…`,
      );
  }
  if (!(options.vectors >= K) || !(options.queries >= 1))
    throw new Error("--vectors must be at least 10 and --queries at least 1");
  return options;
}

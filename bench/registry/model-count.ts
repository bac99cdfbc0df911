import { createPgPool } from "../../gateway/src/db/prisma";
import { runLoad, type LoadResult } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import type { GatewayUnderTest } from "./gateway-under-test";
import { GatewayClient } from "./http-client";

const CLIENTS = 100;
const WARMUP_MS = 1_000;
const DURATION_MS = 5_000;

const COUNT = "query Count { models(first: 5) { totalCount } }";
const ME = "query Me { me { id } }";

/**
 * (c) `models(first: 5) { totalCount }` against `{ me { id } }` with 100 clients each: the
 * count's cost is what the list query adds over a request that only signs in (HTTP, auth,
 * validation, JSON). The registry is first filled up to `models` models: the ones
 * `seedBenchModels` uploaded, then rows inserted with SQL (uploading thousands would take minutes).
 */
export async function benchModelCount(gateway: GatewayUnderTest, models: number): Promise<Ratio> {
  await fillRegistry(gateway.databaseUrl, models);
  const client = new GatewayClient(gateway.url, gateway.adminToken, CLIENTS);
  try {
    const { models: listed } = await client.graphql<{ models: { totalCount: number } }>(COUNT);
    const rows: string[][] = [];
    const results = new Map<string, LoadResult>();
    for (const [label, query] of [
      ["models(first: 5) { totalCount }", COUNT],
      ["{ me { id } }", ME],
    ] as const) {
      const request = async () => void (await client.graphql(query));
      await runLoad({ clients: CLIENTS, durationMs: WARMUP_MS }, request);
      gateway.statements.reset();
      const load = await runLoad({ clients: CLIENTS, durationMs: DURATION_MS }, request);
      results.set(label, load);
      rows.push([
        label,
        String(load.requests),
        formatNumber(load.perSecond),
        formatNumber(load.latencyMs.p50),
        formatNumber(load.latencyMs.p95),
        formatNumber(load.latencyMs.p99),
        `${formatNumber(gateway.statements.total() / load.requests)} (${gateway.statements.perRequest(load.requests)})`,
      ]);
    }
    printTable(
      `registry.count: ${listed.totalCount} models (a third public), ${CLIENTS} clients, ` +
        `${DURATION_MS / 1000} s each after ${WARMUP_MS / 1000} s warm-up`,
      ["query", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "SQL statements per request"],
      rows,
    );
    const [count, me] = [...results.values()];
    return {
      name: "registry.count",
      subject: { label: "models { totalCount }", value: count!.perSecond, unit: "req/s" },
      baseline: { label: "{ me }", value: me!.perSecond, unit: "req/s" },
      note: `p50 ${formatNumber(count!.latencyMs.p50)} ms vs ${formatNumber(me!.latencyMs.p50)} ms`,
    };
  } finally {
    client.close();
  }
}

/** Models of the admin's, a third of them public, up to `total` in the registry. */
async function fillRegistry(databaseUrl: string, total: number): Promise<void> {
  const pool = createPgPool(databaseUrl, { poolMax: 1 });
  try {
    await pool.query(
      `INSERT INTO "Model" (id, "ownerId", slug, name, framework, tags, "isPublic", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), (SELECT id FROM "User" WHERE handle = 'admin'), 'filler-' || i,
              'Filler model ' || i, 'ONNX', ARRAY['filler', 'tag-' || (i % 10)], i % 3 = 0,
              now() - i * interval '1 second', now()
       FROM generate_series(1, $1::int - (SELECT count(*) FROM "Model")::int) AS i`,
      [total],
    );
    await pool.query('ANALYZE "Model"');
  } finally {
    await pool.end();
  }
}

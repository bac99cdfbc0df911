import { deepStrictEqual } from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createPgPool } from "../../gateway/src/db/prisma";
import { runLoad, type LoadResult } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import type { GatewayUnderTest } from "./gateway-under-test";
import { GatewayClient } from "./http-client";

const MODELS = 50;
const VERSIONS_PER_MODEL = 2;
const CLIENTS = 4;
const WARMUP_MS = 1_000;
const DURATION_MS = 5_000;

const LIST = `
  query List {
    models(first: 50) {
      edges { node { id slug name versions { version files { path sizeBytes sha256 } } } }
    }
  }`;

/** The same rows in one statement, in the gateway's order: newest model first, newest version first. */
const LIST_SQL = `
  SELECT m.id::text AS model_id, m.slug, m.name, v.version, f.path, f."sizeBytes"::text AS size_bytes, f.sha256
  FROM (SELECT id, slug, name, "createdAt" FROM "Model" ORDER BY "createdAt" DESC, id LIMIT 50) m
  LEFT JOIN "ModelVersion" v ON v."modelId" = m.id
  LEFT JOIN "ModelFile" f ON f."versionId" = v.id
  ORDER BY m."createdAt" DESC, m.id, v.ordinal DESC, f.path`;

const UPLOAD = `
  mutation Seed($input: UploadModelInput!, $files: [Upload!]!) {
    uploadModel(input: $input, files: $files) { id }
  }`;

interface ListedModel {
  id: string;
  slug: string;
  name: string;
  versions: Array<{ version: string; files: Array<{ path: string; sizeBytes: number; sha256: string }> }>;
}

interface ListRow {
  model_id: string;
  slug: string;
  name: string;
  version: string | null;
  path: string | null;
  size_bytes: string | null;
  sha256: string | null;
}

/**
 * (b) `models(first: 50)` with versions and files through the gateway (HTTP, keep-alive, a few
 * clients at once) against the same rows read with one hand-written join through `pg` in this
 * process, on the same database, over the models `seedBenchModels` uploaded. Both sides are
 * checked to return the same data first.
 */
export async function benchModelList(gateway: GatewayUnderTest): Promise<Ratio> {
  const client = new GatewayClient(gateway.url, gateway.adminToken, CLIENTS);
  const pool = createPgPool(gateway.databaseUrl, { poolMax: CLIENTS });
  try {
    const viaGateway = async () =>
      (await client.graphql<{ models: { edges: Array<{ node: ListedModel }> } }>(LIST)).models.edges.map(
        (edge) => edge.node,
      );
    const viaSql = async () => nest((await pool.query<ListRow>(LIST_SQL)).rows);
    const listed = await viaGateway();
    if (listed.length !== MODELS)
      throw new Error(`models(first: 50) returned ${listed.length} models; seeded ${MODELS}`);
    deepStrictEqual(await viaSql(), listed, "The hand-written SQL must return what the gateway returns");

    const gatewayLoad = await measure(
      async () => void (await viaGateway()),
      () => gateway.statements.reset(),
    );
    const statements = gateway.statements.total() / gatewayLoad.requests;
    const statementKinds = gateway.statements.perRequest(gatewayLoad.requests);
    const sqlLoad = await measure(async () => void (await viaSql()));

    const row = (label: string, load: CpuLoad, perRequest: string) => [
      label,
      String(load.requests),
      formatNumber(load.perSecond),
      formatNumber(load.latencyMs.p50),
      formatNumber(load.latencyMs.p95),
      formatNumber(load.latencyMs.p99),
      formatNumber(load.cpuMsPerRequest),
      perRequest,
    ];
    printTable(
      `registry.list: models(first: 50) × ${VERSIONS_PER_MODEL} versions × 3 files, ` +
        `${CLIENTS} clients, ${DURATION_MS / 1000} s each after ${WARMUP_MS / 1000} s warm-up`,
      [
        "reader",
        "requests",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "CPU ms/request",
        "SQL statements per request",
      ],
      [
        row("gateway (POST /graphql)", gatewayLoad, `${formatNumber(statements)} (${statementKinds})`),
        row("hand-written SQL (pg, one join)", sqlLoad, "1"),
      ],
    );
    return {
      name: "registry.list",
      subject: { label: "gateway", value: gatewayLoad.perSecond, unit: "req/s" },
      baseline: { label: "hand-written SQL", value: sqlLoad.perSecond, unit: "req/s" },
      note:
        `${formatNumber(statements)} SQL statements per gateway request; CPU per request ` +
        `${formatNumber(sqlLoad.cpuMsPerRequest / gatewayLoad.cpuMsPerRequest)} of the SQL's`,
    };
  } finally {
    client.close();
    await pool.end();
  }
}

interface CpuLoad extends LoadResult {
  /**
   * This process's CPU time (all threads) per request over the measured run. Client, gateway and
   * the embedded database all run here, so on a shared machine, where req/s swings with the
   * other processes' load, this is the steadier figure of the two.
   */
  cpuMsPerRequest: number;
}

/** A warm-up run, then `beforeMeasuring`, then the measured run. */
async function measure(request: () => Promise<void>, beforeMeasuring = () => {}): Promise<CpuLoad> {
  await runLoad({ clients: CLIENTS, durationMs: WARMUP_MS }, request);
  beforeMeasuring();
  const started = process.cpuUsage();
  const load = await runLoad({ clients: CLIENTS, durationMs: DURATION_MS }, request);
  const cpu = process.cpuUsage(started);
  return { ...load, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / load.requests };
}

/** 50 models × 2 versions × 3 small files, uploaded through the gateway as a user would. */
export async function seedBenchModels(client: GatewayClient) {
  for (let model = 1; model <= MODELS; model++) {
    for (let version = 1; version <= VERSIONS_PER_MODEL; version++) {
      const files = [
        { name: "model.safetensors", content: randomBytes(4096) },
        { name: "config.json", content: Buffer.from(JSON.stringify({ model, version, hidden: 768 })) },
        { name: "README.md", content: Buffer.from(`# Bench model ${model}, version ${version}\n`) },
      ];
      const input = {
        slug: `bench-model-${model}`,
        name: `Bench model ${model}`,
        primaryFile: "model.safetensors",
      };
      await client.upload(UPLOAD, { input }, files);
    }
  }
}

/** Flat join rows (ordered by model, version) into the nested shape GraphQL returns. */
function nest(rows: ListRow[]): ListedModel[] {
  const models: ListedModel[] = [];
  let model: ListedModel | undefined;
  let version: ListedModel["versions"][number] | undefined;
  for (const row of rows) {
    if (model?.id !== row.model_id) {
      model = { id: row.model_id, slug: row.slug, name: row.name, versions: [] };
      models.push(model);
      version = undefined;
    }
    if (row.version === null) continue;
    if (version?.version !== row.version) {
      version = { version: row.version, files: [] };
      model.versions.push(version);
    }
    if (row.path !== null) {
      version.files.push({ path: row.path, sizeBytes: Number(row.size_bytes), sha256: row.sha256! });
    }
  }
  return models;
}

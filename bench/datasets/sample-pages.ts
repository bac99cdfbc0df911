import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { encodeSampleCursor } from "../../gateway/src/datasets/sample-cursor";
import { deferCleanup } from "../lib/cleanup";
import { latencies } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { startGatewayUnderTest } from "../registry/gateway-under-test";
import { GatewayClient } from "../registry/http-client";
import { seedSampleVersion } from "./seeded-samples";

const PAGE_SIZE = 100;
const CLASSES = 10;
/** Requests per row, after one untimed warm-up request each. */
const REPEATS = 15;
/** The offset statement takes seconds at 100,000 samples: a few runs show its cost. */
const OLD_REPEATS = 3;

const PAGE = `query ($id: ID!, $first: Int, $after: String, $classId: ID, $split: String) {
  datasetVersion(id: $id) {
    samples(first: $first, after: $after, classId: $classId, split: $split) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id originalPath } }
    }
  }
}`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: Array<{ node: { id: string; originalPath: string } }>;
}

/**
 * (d) Sample pages at depth: a version of `samples` samples written with SQL (10 classes, every
 * 5th sample in split "test"), then `samples(first: 100)` through GraphQL at page 1 and at the
 * last page (page 1,000 of 100,000), unfiltered and by class and split. Beside them, for the
 * record, the statement the pages ran before keyset cursors (row_number() over the version, then
 * the offset's window) at both depths, straight on the database.
 */
export async function benchSamplePages(samples: number): Promise<Ratio> {
  const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tessera-bench-"));
  const removeWorkDir = deferCleanup(() => fs.promises.rm(workDir, { recursive: true, force: true }));
  try {
    return await measurePages(path.join(workDir, "data"), samples);
  } finally {
    await removeWorkDir();
  }
}

async function measurePages(dataDir: string, samples: number): Promise<Ratio> {
  const gateway = await startGatewayUnderTest(dataDir);
  console.log(
    `\n(d) gateway at ${gateway.url}; node ${process.version}, ${os.cpus().length} CPUs, ` +
      `load average ${os.loadavg()[0]!.toFixed(2)}`,
  );
  const pool = new pg.Pool({ connectionString: gateway.databaseUrl, max: 2 });
  const client = new GatewayClient(gateway.url, gateway.adminToken, 2);
  try {
    const { me } = await client.graphql<{ me: { id: string } }>(`{ me { id } }`);
    const seeded = Date.now();
    const version = await seedVersion(pool, me.id, samples);
    console.log(`(d) seeded ${samples} samples with SQL in ${formatNumber((Date.now() - seeded) / 1000)} s`);
    const lastPage = Math.ceil(samples / PAGE_SIZE);
    const deep = await positionAt(pool, version.id, (lastPage - 1) * PAGE_SIZE - 1);
    const after = encodeSampleCursor(deep.before);

    const ask = async (variables: Record<string, unknown>) =>
      (
        await client.graphql<{ datasetVersion: { samples: Page } }>(PAGE, {
          id: version.id,
          first: PAGE_SIZE,
          ...variables,
        })
      ).datasetVersion.samples;
    const check = await ask({ after });
    if (check.edges[0]?.node.id !== deep.first || check.totalCount !== samples) {
      throw new Error(`page ${lastPage} starts at ${check.edges[0]?.node.id}, expected ${deep.first}`);
    }
    // The class whose files come last in path order: its first page lies deepest in the index.
    const byClass = { classId: version.lastClassId };
    const classSize = (await ask(byClass)).totalCount;
    const classDeep = await positionAt(pool, version.id, classSize - PAGE_SIZE - 1, version.lastClassId);
    const bySplit = { split: "test" };
    const rows: Array<[string, number[]]> = [
      ["GraphQL page 1", await repeat(() => ask({}))],
      [`GraphQL page ${lastPage}`, await repeat(() => ask({ after }))],
      ["GraphQL page 1, one class", await repeat(() => ask(byClass))],
      [
        `GraphQL last page, one class`,
        await repeat(() => ask({ ...byClass, after: encodeSampleCursor(classDeep.before) })),
      ],
      ['GraphQL page 1, split "test"', await repeat(() => ask(bySplit))],
      [
        "before: row_number() window, offset 0 (SQL only)",
        await repeat(() => oldWindow(pool, version.id, 0), OLD_REPEATS),
      ],
      [
        `before: row_number() window, offset ${(lastPage - 1) * PAGE_SIZE} (SQL only)`,
        await repeat(() => oldWindow(pool, version.id, (lastPage - 1) * PAGE_SIZE), OLD_REPEATS),
      ],
    ];
    printTable(
      `(d) samples(first: ${PAGE_SIZE}) of a ${samples}-sample version (${CLASSES} classes), ${REPEATS} requests each (before: ${OLD_REPEATS})`,
      ["page", "p50 ms", "p95 ms"],
      rows.map(([label, millis]) => {
        const { p50, p95 } = latencies(millis);
        return [label, formatNumber(p50), formatNumber(p95)];
      }),
    );
    const p50 = (index: number) => latencies(rows[index]![1]).p50;
    return {
      name: "datasets.sample-pages",
      subject: { label: `page ${lastPage}`, value: 1000 / p50(1), unit: "pages/s" },
      baseline: { label: "page 1", value: 1000 / p50(0), unit: "pages/s" },
      aim: 0.8,
      note: `before: offset ${(lastPage - 1) * PAGE_SIZE} vs 0 was ${formatNumber(p50(5) / p50(6))}`,
    };
  } finally {
    await pool.end();
    await gateway.stop();
  }
}

async function repeat(request: () => Promise<unknown>, times = REPEATS): Promise<number[]> {
  await request();
  const millis: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = process.hrtime.bigint();
    await request();
    millis.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return millis;
}

async function seedVersion(pool: pg.Pool, ownerId: string, samples: number) {
  const seeded = await seedSampleVersion(pool, ownerId, "bench-pages", samples, CLASSES);
  await pool.query(`ANALYZE "Sample"`);
  await pool.query(`ANALYZE "VersionSample"`);
  return { id: seeded.versionId, lastClassId: seeded.classIds.at(-1)! };
}

/** The sample at 0-based `position` of the version's display order, and the one after it. */
async function positionAt(pool: pg.Pool, versionId: string, position: number, classId?: string) {
  const { rows } = await pool.query<{ id: string; originalPath: string }>(
    `SELECT s.id::text AS id, s."originalPath" FROM "VersionSample" vs JOIN "Sample" s ON s.id = vs."sampleId"
     WHERE vs."versionId" = $1 AND ($2::uuid IS NULL OR vs."classId" = $2)
     ORDER BY s."originalPath", s.id OFFSET $3 LIMIT 2`,
    [versionId, classId ?? null, position],
  );
  return { before: rows[0]!, first: rows[1]!.id };
}

/** The statement of the offset pages (one version, no filter). */
async function oldWindow(pool: pg.Pool, versionId: string, offset: number) {
  await pool.query(
    `SELECT * FROM (
       SELECT vs."versionId"::text AS "versionId", s.id::text AS id, s."datasetId"::text AS "datasetId",
              s.sha256, s.format, s.width, s.height, s."originalPath", vs.split, vs.metadata,
              c.id::text AS "classId", c.name AS "className",
              row_number() OVER (PARTITION BY vs."versionId" ORDER BY s."originalPath", s.id) AS position,
              count(*) OVER (PARTITION BY vs."versionId") AS total
       FROM "VersionSample" vs
       JOIN "Sample" s ON s.id = vs."sampleId"
       JOIN "DatasetClass" c ON c.id = vs."classId"
       WHERE vs."versionId" = $1
     ) ranked
     WHERE position > $2 AND position <= $3
     ORDER BY "versionId", position`,
    [versionId, offset, offset + PAGE_SIZE],
  );
}

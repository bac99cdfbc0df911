import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { UNLIMITED_RATES } from "../../gateway/test/support/gateway";
import { startTierProcess, type TierProcess } from "../../inference/test/helpers/tier-process";
import { deferCleanup } from "../lib/cleanup";
import { processCpuSeconds, spawnGatewayReplica, spawnNodeProcess, type BenchProcess } from "./processes";

export type GatewayReplica = BenchProcess & { url: string };

/**
 * Two gateway replicas and a job worker, each its own process, on one fresh database of a real
 * PostgreSQL server, sharing one blob folder and one inference tier process; the replicas run no
 * jobs. Migrations race: the three processes start at once.
 */
export interface ClusterUnderTest {
  databaseUrl: string;
  adminToken: string;
  tier: TierProcess;
  a: GatewayReplica;
  b: GatewayReplica;
  worker: BenchProcess;
  /** The environment the replicas run with, for one more replica (the S3 one). */
  replicaEnv: Record<string, string>;
  /** Seconds from the first spawn until all three were ready. */
  startSeconds: number;
  /** Migrations recorded in `_prisma_migrations`, and how many of them more than once. */
  migrations: { applied: number; duplicated: number };
  /** CPU seconds used so far by the replicas, the worker and the tier (one sum), for per-request figures. */
  serverCpuSeconds(): number;
  stop(): Promise<void>;
}

const JOB_WORKERS_OFF = {
  TESSERA_TRAINING_WORKERS: "0",
  TESSERA_EMBEDDING_WORKERS: "0",
  TESSERA_RETRAINING_WORKERS: "0",
  TESSERA_RECONSTRUCTION_WORKERS: "0",
};

export async function startCluster(serverUrl: string, workDir: string): Promise<ClusterUnderTest> {
  const database = await createBenchDatabase(serverUrl);
  const dropDatabase = deferCleanup(database.drop);
  const started: Array<{ stop(): Promise<unknown> }> = [];
  const stopAll = deferCleanup(async () => {
    for (const process of started.reverse()) await process.stop();
    await dropDatabase();
  });
  try {
    const tier = await startTierProcess(0, { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" });
    started.push(tier);
    const adminToken = `tsr_bench_${randomBytes(16).toString("hex")}`;
    const shared = {
      DATABASE_URL: database.url,
      INFERENCE_URL: `127.0.0.1:${tier.port}`,
      // One data folder: the blob store (its default place, and TESSERA_BLOB_URL where it is read).
      TESSERA_DATA_DIR: path.join(workDir, "data"),
      TESSERA_BLOB_URL: `file://${path.join(workDir, "data", "blobs")}`,
      TESSERA_ADMIN_TOKEN: adminToken,
      TESSERA_SECRET_KEY: randomBytes(32).toString("base64"),
      ...UNLIMITED_RATES,
    };
    const replicaEnv = { ...shared, ...JOB_WORKERS_OFF, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" };
    const spawnStart = performance.now();
    // The worker logs at info: "worker ready" is how the bench knows it listens for jobs.
    const worker = spawnNodeProcess("worker", "gateway/src/training/worker/worker-main.ts", {
      ...shared,
      LOG_LEVEL: "info",
    });
    started.push(worker);
    const replicas = await Promise.allSettled([
      spawnGatewayReplica("gateway A", replicaEnv),
      spawnGatewayReplica("gateway B", replicaEnv),
      worker.waitForOutput(/worker ready/, 180_000),
    ]);
    for (const replica of replicas.slice(0, 2))
      if (replica.status === "fulfilled") started.push(replica.value as GatewayReplica);
    const failed = replicas.find((replica) => replica.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [a, b] = replicas.map((replica) => (replica as PromiseFulfilledResult<unknown>).value) as [
      GatewayReplica,
      GatewayReplica,
    ];
    const startSeconds = (performance.now() - spawnStart) / 1000;
    const migrations = await countMigrations(database.url);
    return {
      databaseUrl: database.url,
      adminToken,
      tier,
      a,
      b,
      worker,
      replicaEnv,
      startSeconds,
      migrations,
      serverCpuSeconds: () =>
        [a, b, worker].reduce((sum, process) => sum + process.cpuSeconds(), 0) +
        processCpuSeconds(tier.child.pid),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** A new, empty database on the server at `serverUrl`; `drop` removes it. */
export async function createBenchDatabase(serverUrl: string) {
  const name = `tessera_bench_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function countMigrations(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ applied: string; duplicated: string }>(
      `SELECT count(DISTINCT migration_name)::text AS applied,
              (count(*) - count(DISTINCT migration_name))::text AS duplicated
       FROM _prisma_migrations WHERE finished_at IS NOT NULL`,
    );
    return { applied: Number(rows[0]!.applied), duplicated: Number(rows[0]!.duplicated) };
  } finally {
    await client.end();
  }
}

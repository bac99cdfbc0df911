import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onRealServer } from "../support/database";
import type { TestGateway } from "../support/gateway";
import { generateTextureDataset, zipDatasetFiles } from "../support/texture-dataset";
import { finished, upload } from "../datasets/embeddings/embeddings-api";
import { spawnWorker, type WorkerProcess } from "../training/worker/worker-process";
import { startWorkerHarness, type WorkerHarness } from "../training/worker/worker-support";

/**
 * The gateway runs no embedding worker; `npm run worker` processes on the same database, blob
 * store and tier do. One is killed (SIGKILL) in the middle of a run; the next one resumes it.
 */
describe("embedding jobs run by worker processes", () => {
  let harness: WorkerHarness;
  let gateway: TestGateway;
  let env: Record<string, string>;
  let workers: WorkerProcess[];

  beforeAll(async () => {
    harness = await startWorkerHarness();
    ({ gateway, workerEnv: env, workers } = harness);
  });

  afterAll(() => harness?.stop());

  it("resumes with the samples that have no vector yet: every sample embedded once, none again", async () => {
    const data = await generateTextureDataset({ classes: 4, imagesPerClass: 80, minSide: 48, maxSide: 64 });
    const uploaded = await upload(gateway, "many-textures", await zipDatasetFiles(data.files));
    const total = uploaded.version.imageCount;
    const run = await gateway.prisma.embeddingRun.findFirstOrThrow({
      where: { versionId: uploaded.version.id },
    });
    expect(run.jobId).not.toBeNull();
    const jobId = run.jobId!;

    const first = await spawnWorker({ ...env, TESSERA_EMBEDDING_WORKERS: "1" });
    workers.push(first);
    // Killed once some vectors are stored and most are not.
    const before = await waitFor(async () => {
      const stored = await vectorCount(gateway, uploaded.version.id);
      return stored >= 32 ? stored : null;
    });
    await first.kill();
    const storedAtKill = await vectorCount(gateway, uploaded.version.id);
    expect(storedAtKill, "the run finished before the worker was killed").toBeLessThan(total);
    expect(storedAtKill).toBeGreaterThanOrEqual(before);
    const killedAt = new Date();
    expect(await gateway.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({
      status: "RUNNING",
      attempts: 1,
    });

    const second = await spawnWorker({ ...env, TESSERA_EMBEDDING_WORKERS: "1" });
    workers.push(second);
    const status = await finished(gateway, uploaded.version.id, "FEATURE/v2/256", 60_000);
    expect(status, second.output().slice(-3000)).toMatchObject({
      state: "SUCCEEDED",
      done: total,
      failed: 0,
    });

    // Every sample has exactly one vector, and those stored before the kill were kept, not redone.
    expect(await vectorCount(gateway, uploaded.version.id)).toBe(total);
    const [{ kept } = { kept: -1 }] = await gateway.prisma.$queryRaw<Array<{ kept: number }>>`
      SELECT count(*)::int AS kept FROM "Embedding" e
      JOIN "VersionSample" vs ON vs."sampleId" = e."sampleId" AND vs."versionId" = ${uploaded.version.id}::uuid
      WHERE e."createdAt" < ${killedAt}`;
    expect(kept).toBe(storedAtKill);

    const job = await gateway.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ status: "SUCCEEDED", attempts: 2, progress: 1, done: total, total });
    const events = await gateway.prisma.jobEvent.findMany({ where: { jobId }, orderBy: { seq: "asc" } });
    const states = events
      .filter((event) => event.type === "state")
      .map((event) => (event.payload as { status: string }).status);
    // Queued; on the first worker; queued once it was found dead; on the second; done.
    expect(states).toEqual(["QUEUED", "RUNNING", "QUEUED", "RUNNING", "SUCCEEDED"]);
    // The resumed run started from what was stored: its first progress counts the kept vectors.
    const resumedAt = events.findLastIndex((event) => event.type === "state" && stateOf(event) === "RUNNING");
    const firstProgress = events.slice(resumedAt).find((event) => event.type === "progress")!;
    expect(firstProgress.payload).toMatchObject({ done: storedAtKill, total });
    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
  }, 180_000);

  it("streams a job run by a worker process to a subscriber on the gateway, in order (p99 <= 200 ms on PostgreSQL)", async () => {
    if (workers.every((worker) => worker.child.exitCode !== null || worker.child.signalCode !== null)) {
      workers.push(await spawnWorker({ ...env, TESSERA_EMBEDDING_WORKERS: "1" }));
    }
    const data = await generateTextureDataset({
      classes: 4,
      imagesPerClass: 60,
      minSide: 48,
      maxSide: 64,
      seed: 7,
    });
    const client = createClient({
      url: `${gateway.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${gateway.adminToken}` },
    });
    try {
      const uploaded = await upload(gateway, "streamed-textures", await zipDatasetFiles(data.files));
      const run = await gateway.prisma.embeddingRun.findFirstOrThrow({
        where: { versionId: uploaded.version.id },
      });
      const received: Array<{ type: string; seq: number; latencyMs: number; status?: string }> = [];
      const events = client.iterate<{
        jobEvents: { __typename: string; seq: number; at: string; status?: string };
      }>({
        query: `subscription ($id: ID!) { jobEvents(jobId: $id) {
          __typename
          ... on JobSnapshotEvent { seq at }
          ... on JobProgressEvent { seq at status }
          ... on JobStateEvent { seq at status }
        } }`,
        variables: { id: run.jobId },
      });
      for await (const event of events) {
        expect(event.errors).toBeUndefined();
        const { __typename, seq, at, status } = event.data!.jobEvents;
        received.push({ type: __typename, seq, latencyMs: Date.now() - Date.parse(at), status });
      }
      expect(received[0]!.type).toBe("JobSnapshotEvent");
      const later = received.slice(1);
      expect(later.at(-1)).toMatchObject({ type: "JobStateEvent", status: "SUCCEEDED" });
      const seqs = later.map((event) => event.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => received[0]!.seq + index + 1));
      expect(later.filter((event) => event.type === "JobProgressEvent").length).toBeGreaterThan(0);
      if (onRealServer) {
        const latencies = later.map((event) => event.latencyMs).sort((a, b) => a - b);
        const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1]!;
        expect(p99, `latencies ${latencies.join(",")}`).toBeLessThanOrEqual(200);
      }
    } finally {
      await client.dispose();
    }
  }, 120_000);
});

function stateOf(event: { payload: unknown }): string {
  return (event.payload as { status: string }).status;
}

async function vectorCount(gateway: TestGateway, versionId: string): Promise<number> {
  const [{ count } = { count: -1 }] = await gateway.prisma.$queryRaw<Array<{ count: number }>>`
    SELECT count(*)::int AS count FROM "Embedding" e
    JOIN "VersionSample" vs ON vs."sampleId" = e."sampleId" AND vs."versionId" = ${versionId}::uuid`;
  return count;
}

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

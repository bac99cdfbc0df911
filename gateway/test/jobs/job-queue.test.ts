import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "../../src/db/migrations";
import { JobQueue, type JobQueueOptions } from "../../src/jobs/job-queue";
import { createLogger } from "../../src/logger";
import { createEmptyDatabase, type EmptyDatabase } from "../support/database";

const logger = createLogger({ level: "silent" });

interface TestPayloads {
  echo: { text: string };
  flaky: { text: string };
}

const fast: JobQueueOptions<TestPayloads> = {
  pollingIntervalSeconds: 0.5,
  maintenanceIntervalSeconds: 1,
  kinds: { echo: { retryLimit: 0 }, flaky: { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true } },
};

let database: EmptyDatabase;
const queues: JobQueue<TestPayloads>[] = [];

async function startQueue(): Promise<JobQueue<TestPayloads>> {
  const queue = await JobQueue.start(database.url, logger, fast);
  queues.push(queue);
  return queue;
}

beforeEach(async () => {
  database = await createEmptyDatabase();
});

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.stop({ graceful: false })));
  await database.close();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Still not done after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("JobQueue", () => {
  it("runs a queued job once and records it as completed", async () => {
    const queue = await startQueue();
    const seen: unknown[] = [];
    await queue.work("echo", async (job) => {
      seen.push({ payload: job.payload, attempt: job.attempt });
    });

    const id = await queue.send("echo", { text: "hello" });

    const job = await until(
      () => queue.getJob("echo", id!),
      (job) => job?.state === "completed",
    );
    await sleep(600);
    expect(seen).toEqual([{ payload: { text: "hello" }, attempt: 1 }]);
    expect(job).toMatchObject({
      id,
      state: "completed",
      payload: { text: "hello" },
      attempt: 1,
      error: null,
    });
  });

  it("retries a failing job with growing delays, then fails it with the handler's error", async () => {
    const queue = await startQueue();
    const attempts: { attempt: number; at: number }[] = [];
    await queue.work("flaky", async (job) => {
      attempts.push({ attempt: job.attempt, at: Date.now() });
      throw new Error("The inference tier is down: expected SERVING, got UNAVAILABLE");
    });

    const id = await queue.send("flaky", { text: "retry me" });

    const job = await until(
      () => queue.getJob("flaky", id!),
      (job) => job?.state === "failed",
    );
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Base delay 1 s doubling: the first retry waits 1–2 s, the second 2–4 s.
    const [first, second, third] = attempts.map((a) => a.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(1000);
    expect(third - second).toBeGreaterThanOrEqual(2000);
    expect(job).toMatchObject({
      state: "failed",
      attempt: 3,
      retryLimit: 2,
      error: "The inference tier is down: expected SERVING, got UNAVAILABLE",
    });
  });

  it("keeps a job queued by a stopped queue, and a new queue on the same database runs it", async () => {
    const first = await startQueue();
    const id = await first.send("echo", { text: "after restart" });
    await first.stop();

    const second = await startQueue();
    const seen: string[] = [];
    await second.work("echo", async (job) => {
      seen.push(job.payload.text);
    });

    await until(
      () => second.getJob("echo", id!),
      (job) => job?.state === "completed",
    );
    expect(seen).toEqual(["after restart"]);
  });

  it("fails a job whose handler is cut off by a hard stop, and retries it on the next queue", async () => {
    const first = await startQueue();
    let aborted = false;
    const started = new Promise<void>((resolve) =>
      first.work("echo", async (job) => {
        resolve();
        await new Promise((stop) => job.signal.addEventListener("abort", stop));
        aborted = true;
        throw job.signal.reason;
      }),
    );
    const id = await first.send(
      "echo",
      { text: "interrupted" },
      { retryLimit: 1, retryBackoff: false, retryDelaySeconds: 0 },
    );
    await started;
    await first.stop({ graceful: false });
    expect(aborted).toBe(true);

    const second = await startQueue();
    const attempts: number[] = [];
    await second.work("echo", async (job) => {
      attempts.push(job.attempt);
    });
    const job = await until(
      () => second.getJob("echo", id!),
      (job) => job?.state === "completed",
    );
    expect(attempts).toEqual([2]);
    expect(job?.attempt).toBe(2);
  });

  it("waits on a graceful stop for a running handler to finish its job", async () => {
    const first = await startQueue();
    const started = new Promise<void>((resolve) =>
      first.work("echo", async () => {
        resolve();
        await sleep(700);
      }),
    );
    const id = await first.send("echo", { text: "finish me" });
    await started;
    await first.stop({ graceful: true, timeoutMs: 5000 });

    const reader = await startQueue();
    expect(await reader.getJob("echo", id!)).toMatchObject({ state: "completed", attempt: 1 });
  });

  it("never runs one job twice when two queues on one database work the same kind", async () => {
    const [a, b] = [await startQueue(), await startQueue()];
    const runs: { id: string; by: string }[] = [];
    const handler = (by: string) => async (job: { id: string }) => {
      runs.push({ id: job.id, by });
      await sleep(40);
    };
    await a.work("echo", handler("a"), { concurrency: 2 });
    await b.work("echo", handler("b"), { concurrency: 2 });

    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await a.send("echo", { text: `job ${i}` }))!);

    await until(
      async () => runs.length,
      (count) => count >= ids.length,
      20_000,
    );
    // Long enough for a second run of any job to show up.
    await sleep(700);
    const states = await Promise.all(ids.map(async (id) => (await b.getJob("echo", id))?.state));
    expect(new Set(states)).toEqual(new Set(["completed"]));
    expect(runs.map((run) => run.id).sort()).toEqual([...ids].sort());
    expect(runs.some((run) => run.by === "a")).toBe(true);
    expect(runs.some((run) => run.by === "b")).toBe(true);
  });

  it("queues nothing for a singleton key that is already waiting, and queues again once it ran", async () => {
    const queue = await startQueue();
    const key = "dataset-version-1/feature-256";
    const firstId = await queue.send("echo", { text: "first" }, { singletonKey: key });
    expect(await queue.send("echo", { text: "duplicate" }, { singletonKey: key })).toBeNull();
    expect(
      await queue.send("echo", { text: "other key" }, { singletonKey: "dataset-version-2/feature-256" }),
    ).not.toBeNull();
    expect(await queue.getJob("echo", firstId!)).toMatchObject({ singletonKey: key, state: "created" });

    const seen: string[] = [];
    await queue.work("echo", async (job) => {
      seen.push(job.payload.text);
    });
    await until(
      () => queue.getJob("echo", firstId!),
      (job) => job?.state === "completed",
    );
    const againId = await queue.send("echo", { text: "again" }, { singletonKey: key });
    expect(againId).not.toBeNull();
    await until(
      () => queue.getJob("echo", againId!),
      (job) => job?.state === "completed",
    );
    expect(seen.sort()).toEqual(["again", "first", "other key"]);
  });

  it("cancels a waiting job so it never runs, and aborts the signal of a running one", async () => {
    const queue = await startQueue();
    const later = await queue.send("echo", { text: "later" }, { startAfter: new Date(Date.now() + 60_000) });
    expect(await queue.cancel("echo", later!)).toBe(true);
    expect(await queue.getJob("echo", later!)).toMatchObject({ state: "cancelled" });

    let abortReason: unknown = null;
    const started = new Promise<void>((resolve) =>
      queue.work("echo", async (job) => {
        resolve();
        await new Promise((stop) => job.signal.addEventListener("abort", stop));
        abortReason = job.signal.reason;
      }),
    );
    const running = await queue.send("echo", { text: "running" });
    await started;
    expect(await queue.cancel("echo", running!)).toBe(true);
    await sleep(200);
    expect((abortReason as Error | null)?.message).toBe(`Job ${running} was cancelled.`);
    expect(await queue.getJob("echo", running!)).toMatchObject({ state: "cancelled" });
    expect(await queue.cancel("echo", running!)).toBe(false);
  });

  it("keeps its tables in the pgboss schema, beside Prisma's migrations in public", async () => {
    await startQueue();
    await applyMigrations(database.url);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ schema: string }>(
        `SELECT DISTINCT table_schema AS schema FROM information_schema.tables
         WHERE table_name IN ('_prisma_migrations', 'job', 'queue', 'version') ORDER BY 1`,
      );
      expect(rows.map((row) => row.schema)).toEqual(["pgboss", "public"]);
    } finally {
      await client.end();
    }
  });
});

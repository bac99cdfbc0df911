import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JobEventLog } from "../../src/jobs/job-event-log";
import {
  exponentialBackoff,
  PermanentJobError,
  TransientJobError,
  type JobHandler,
  type JobKind,
} from "../../src/jobs/job-kind";
import { JobQueue } from "../../src/jobs/job-queue";
import { claimJob, JobRecord } from "../../src/jobs/job-record";
import { JobRunner } from "../../src/jobs/job-runner";
import { JobsService } from "../../src/jobs/jobs.service";
import { createLogger } from "../../src/logger";
import { createTestDatabase, type TestDatabase } from "../support/database";

const logger = createLogger({ level: "silent" });

interface Payload {
  label: string;
}

const testKind: JobKind<Payload, { note: { text: string } }> = {
  name: "test-kind",
  graphqlName: "TEST_KIND",
  description: "a kind for tests",
  payloadVersion: 1,
  readPayload: (stored) => stored as Payload,
  maxAttempts: 3,
  retryDelayMs: exponentialBackoff(200, 1_000),
  checkpoint: "none",
  eventTypes: ["note"],
};

const timing = {
  pollMs: 100,
  heartbeatMs: 200,
  staleAfterMs: 1_500,
  sweepIntervalMs: 300,
  retryDelayFactor: 1,
};

let database: TestDatabase;
let queue: JobQueue;
let events: JobEventLog;
let jobs: JobsService;
let ownerId: string;
const runners: JobRunner[] = [];

beforeEach(async () => {
  database = await createTestDatabase();
  queue = await JobQueue.start(database.url, logger, {
    pollingIntervalSeconds: 0.5,
    maintenanceIntervalSeconds: 1,
  });
  events = new JobEventLog(database.prisma, logger, { pollIntervalMs: 50 });
  jobs = new JobsService(database.prisma, queue, events);
  await jobs.prepare([testKind]);
  ownerId = (await database.prisma.user.create({ data: { handle: "owner" } })).id;
});

afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.stop();
  events.close();
  await queue.stop({ graceful: false });
  await database.close();
});

async function startRunner(
  handler: JobHandler<Payload, { note: { text: string } }>,
  concurrency = 1,
  timingOverride: Partial<typeof timing> = {},
) {
  const runner = new JobRunner(database.prisma, queue, events, logger, { ...timing, ...timingOverride });
  runners.push(runner);
  await runner.work(testKind, handler, { concurrency });
  runner.startSweeping();
  return runner;
}

async function enqueue(label: string): Promise<string> {
  const job = await database.prisma.$transaction((tx) =>
    jobs.enqueue(tx, testKind, { ownerId, payload: { label } }),
  );
  jobs.queued(testKind);
  return job.id;
}

async function settled(id: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await database.prisma.job.findUniqueOrThrow({ where: { id } });
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stateLog(id: string) {
  const rows = await database.prisma.jobEvent.findMany({ where: { jobId: id }, orderBy: { seq: "asc" } });
  return rows.map((row) =>
    row.type === "state" ? `state:${(row.payload as { status: string }).status}` : row.type,
  );
}

describe("the job runner", () => {
  it("runs a job once, storing its result, progress and own events in order", async () => {
    await startRunner(async (context) => {
      await context.progress({ fraction: 0.5, phase: "HALF", done: 1, total: 2, force: true });
      await context.emit("note", { text: context.payload.label });
      return { result: { answer: 42 } };
    });
    const id = await enqueue("hello");
    const job = await settled(id);
    expect(job).toMatchObject({
      status: "SUCCEEDED",
      attempts: 1,
      progress: 1,
      result: { answer: 42 },
      errorCode: null,
    });
    expect(await stateLog(id)).toEqual([
      "state:QUEUED",
      "state:RUNNING",
      "progress",
      "note",
      "state:SUCCEEDED",
    ]);
    const note = await database.prisma.jobEvent.findFirstOrThrow({ where: { jobId: id, type: "note" } });
    expect(note.payload).toEqual({ text: "hello" });
  });

  it("retries a transient failure with backoff and fails a permanent one at once", async () => {
    const calls = new Map<string, number[]>();
    await startRunner(async (context) => {
      const seen = [...(calls.get(context.payload.label) ?? []), Date.now()];
      calls.set(context.payload.label, seen);
      if (context.payload.label === "flaky" && seen.length < 3) throw new TransientJobError("tier away");
      if (context.payload.label === "broken") throw new PermanentJobError("input deleted", "GONE");
      return {};
    });
    const flaky = await enqueue("flaky");
    const broken = await enqueue("broken");
    expect(await settled(flaky)).toMatchObject({ status: "SUCCEEDED", attempts: 3, errorMessage: null });
    const times = calls.get("flaky")!;
    // Backoff: 200 ms after the first failure, 400 ms after the second (at least).
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(200);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(400);
    expect(await stateLog(flaky)).toEqual([
      "state:QUEUED",
      "state:RUNNING",
      "state:QUEUED",
      "state:RUNNING",
      "state:QUEUED",
      "state:RUNNING",
      "state:SUCCEEDED",
    ]);
    expect(await settled(broken)).toMatchObject({
      status: "FAILED",
      attempts: 1,
      errorCode: "GONE",
      errorMessage: "input deleted",
    });
    expect(calls.get("broken")).toHaveLength(1);
  });

  it("scales every kind's backoff by the runner's retry delay factor", async () => {
    const times: number[] = [];
    await startRunner(
      async () => {
        times.push(Date.now());
        if (times.length < 2) throw new TransientJobError("tier away");
        return {};
      },
      1,
      { retryDelayFactor: 5 },
    );
    const job = await enqueue("slow-retry");
    expect(await settled(job)).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    // The kind says 200 ms after the first failure; × 5 is at least a second.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1_000);
  });

  it("fails a transient failure for good once its attempts are used up", async () => {
    let calls = 0;
    await startRunner(async () => {
      calls++;
      throw new TransientJobError("tier away");
    });
    const id = await enqueue("never");
    expect(await settled(id)).toMatchObject({
      status: "FAILED",
      attempts: 3,
      errorCode: "UNAVAILABLE",
      errorMessage: "tier away",
    });
    expect(calls).toBe(3);
  });

  it("stops a running job within a second of cancelJob and logs CANCELLED", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let stoppedAt = 0;
    // A second process's runner: the cancel reaches it through the row, not in memory.
    const elsewhere = new JobsService(database.prisma, queue, events);
    await elsewhere.prepare([testKind]);
    await startRunner(async (context) => {
      started();
      await once(context.signal, "abort");
      stoppedAt = Date.now();
      context.signal.throwIfAborted();
    });
    const id = await enqueue("long");
    await running;
    const admin = { id: ownerId, handle: "owner", role: "MEMBER" as const };
    const asked = Date.now();
    expect(await elsewhere.cancel(admin, id)).toMatchObject({ status: "RUNNING", cancelRequested: true });
    expect(await settled(id)).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED" });
    expect(stoppedAt - asked).toBeLessThan(1_000);
    expect((await stateLog(id)).at(-1)).toBe("state:CANCELLED");
  });

  it("cancels a queued job at once, and refuses to cancel it again", async () => {
    const id = await enqueue("waiting");
    const owner = { id: ownerId, handle: "owner", role: "MEMBER" as const };
    expect(await jobs.cancel(owner, id)).toMatchObject({
      status: "CANCELLED",
      errorMessage: "Cancelled by owner before it started",
    });
    await expect(jobs.cancel(owner, id)).rejects.toMatchObject({ code: "CONFLICT" });
    const stranger = await database.prisma.user.create({ data: { handle: "stranger" } });
    await expect(
      jobs.cancel({ id: stranger.id, handle: "stranger", role: "MEMBER" }, id),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    let ran = false;
    const runner = await startRunner(async () => {
      ran = true;
    });
    // The sweep finds nothing to bring back, and the queue job was cancelled: it never runs.
    expect(await runner.sweep()).toEqual([]);
    expect(ran).toBe(false);
  });

  it("queues nothing when the transaction that enqueued rolls back", async () => {
    await expect(
      database.prisma.$transaction(async (tx) => {
        await jobs.enqueue(tx, testKind, { ownerId, payload: { label: "doomed" } });
        throw new Error("the rows that needed the job failed");
      }),
    ).rejects.toThrow("the rows that needed the job failed");
    expect(await database.prisma.job.count()).toBe(0);
    expect(await database.prisma.jobEvent.count()).toBe(0);
    const [{ count } = { count: -1 }] = await database.prisma.$queryRaw<Array<{ count: number }>>`
      SELECT count(*)::int AS count FROM pgboss.job WHERE name = ${testKind.name}`;
    expect(count).toBe(0);
  });

  it("hands a running job back when its process stops, and another runner finishes it", async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = await startRunner(async (context) => {
      started();
      await once(context.signal, "abort");
      context.signal.throwIfAborted();
    });
    const id = await enqueue("handed-back");
    await running;
    await first.stop();
    runners.splice(runners.indexOf(first), 1);
    expect(await database.prisma.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "QUEUED",
      workerId: null,
      attempts: 1,
    });
    await startRunner(async (context) => ({ result: { attempt: context.attempt } }));
    expect(await settled(id)).toMatchObject({ status: "SUCCEEDED", attempts: 2, result: { attempt: 2 } });
  });

  it("resumes a job whose worker stopped answering, once, on one of two runners", async () => {
    // A worker that died: RUNNING, its heartbeat long gone.
    const id = await enqueue("orphaned");
    await database.prisma.job.update({
      where: { id },
      data: { status: "RUNNING", workerId: "dead", attempts: 1, heartbeatAt: new Date(Date.now() - 60_000) },
    });
    let runs = 0;
    const handler: JobHandler<Payload, { note: { text: string } }> = async () => {
      runs++;
    };
    await startRunner(handler);
    await startRunner(handler);
    expect(await settled(id)).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expect(runs).toBe(1);
    const states = await stateLog(id);
    expect(states.filter((state) => state === "state:QUEUED")).toHaveLength(2);
    const lost = await database.prisma.jobEvent.findFirstOrThrow({
      where: { jobId: id, type: "state", seq: { gt: 1 }, payload: { path: ["status"], equals: "QUEUED" } },
    });
    expect(lost.payload).toMatchObject({ error: { code: "WORKER_LOST" } });
  });

  it("fails a job whose worker died on its last attempt instead of resuming it again", async () => {
    const id = await enqueue("killer");
    await database.prisma.job.update({
      where: { id },
      data: { status: "RUNNING", workerId: "dead", attempts: 3, heartbeatAt: new Date(Date.now() - 60_000) },
    });
    let runs = 0;
    const runner = await startRunner(async () => {
      runs++;
    });
    await runner.sweep();
    expect(await settled(id)).toMatchObject({ status: "FAILED", errorCode: "WORKER_LOST", attempts: 3 });
    expect(runs).toBe(0);
    expect((await stateLog(id)).at(-1)).toBe("state:FAILED");
  });

  it("cancels a waiting job whose cancel was asked for while it ran", async () => {
    const id = await enqueue("handed-back-cancelled");
    // Its queue job is gone (pg-boss gave up on it): only the sweep can settle it.
    const { queueJobId } = await database.prisma.job.findUniqueOrThrow({ where: { id } });
    await queue.cancel(testKind.name, queueJobId!);
    await database.prisma.job.update({
      where: { id },
      data: { cancelRequested: true, queueJobId: null, updatedAt: new Date(Date.now() - 60_000) },
    });
    let runs = 0;
    const runner = await startRunner(async () => {
      runs++;
    });
    await runner.sweep();
    expect(runs).toBe(0);
    expect(await settled(id)).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED" });
  });

  it("lets a run that lost its job write nothing, even when its own process claimed the job again", async () => {
    const id = await enqueue("reclaimed");
    const first = await claimJob(database.prisma, id, "worker-a", randomUUID(), 60_000);
    expect(first).toMatchObject({ attempts: 1 });
    const stale = new JobRecord(database.prisma, events, id, "worker-a", 1);
    // The sweep took it back and the same process claimed it again: attempt 2, same worker id.
    await database.prisma.job.update({ where: { id }, data: { status: "QUEUED", workerId: null } });
    expect(await claimJob(database.prisma, id, "worker-a", randomUUID(), 60_000)).toMatchObject({
      attempts: 2,
    });
    const before = await database.prisma.jobEvent.count({ where: { jobId: id } });
    expect(await stale.heartbeat()).toEqual({ owned: false, cancelRequested: false });
    expect(await stale.emit("note", { text: "late" })).toBe(false);
    expect(await stale.progress({ fraction: 0.9, phase: "LATE", done: null, total: null })).toBe(false);
    expect(await stale.succeed({})).toBe(false);
    expect(await database.prisma.jobEvent.count({ where: { jobId: id } })).toBe(before);
    expect(await database.prisma.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "RUNNING",
      attempts: 2,
    });
  });

  it("cancels a job whose worker died before it saw the cancel, without running it again", async () => {
    const id = await enqueue("dead-and-cancelled");
    await database.prisma.job.update({
      where: { id },
      data: {
        status: "RUNNING",
        workerId: "dead",
        attempts: 1,
        cancelRequested: true,
        heartbeatAt: new Date(Date.now() - 60_000),
      },
    });
    let runs = 0;
    const runner = await startRunner(async () => {
      runs++;
    });
    await runner.sweep();
    expect(await settled(id)).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED", attempts: 1 });
    expect(runs).toBe(0);
  });
});

import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { createClient } from "graphql-ws";
import pg from "pg";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JobNotifier } from "../../src/jobs/job-notifier";
import { createLogger } from "../../src/logger";
import { createTestDatabase, onRealServer, type TestDatabase } from "../support/database";
import { startTestGateway, type TestGateway } from "../support/gateway";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const logger = createLogger({ level: "silent" });
const EVENTS = 150;
const INTERVAL_MS = 15;

/**
 * A subscriber on this gateway, the job's events appended by another process on the same
 * database: on a real PostgreSQL, NOTIFY wakes the gateway at once (p99 within 200 ms); on the
 * embedded one, notifications do not pass between connections and polling delivers them.
 */
describe("job events across processes", () => {
  let database: TestDatabase;
  let gateway: TestGateway;

  beforeAll(async () => {
    database = await createTestDatabase();
    const started = await startTestGateway({ env: { DATABASE_URL: database.url } });
    gateway = { ...started, prisma: database.prisma };
  });

  afterAll(async () => {
    await gateway?.stop();
    await database?.close();
  });

  it("knows whether the database delivers notifications: a real server does, the embedded one does not", async () => {
    const heard: string[] = [];
    const notifier = await JobNotifier.start(database.url, (jobId) => heard.push(jobId), logger);
    try {
      expect(notifier.mode).toBe(onRealServer ? "notify" : "poll");
    } finally {
      await notifier.stop();
    }
  });

  it.skipIf(onRealServer)(
    "relies on a fact of the embedded database: it passes no notification between connections",
    async () => {
      // If a PGlite upgrade starts delivering them, JobNotifier's PGlite shortcut should go.
      const listener = new pg.Client({ connectionString: database.url });
      const sender = new pg.Client({ connectionString: database.url });
      await Promise.all([listener.connect(), sender.connect()]);
      try {
        const heard: string[] = [];
        let ownArrived!: () => void;
        const own = new Promise<void>((resolve) => (ownArrived = resolve));
        listener.on("notification", (message) => {
          heard.push(message.payload!);
          if (message.payload === "own") ownArrived();
        });
        await listener.query("LISTEN tessera_probe");
        await sender.query("SELECT pg_notify('tessera_probe', 'other')");
        // Notifications arrive in commit order: once our own later one is here, the other's would be too.
        await listener.query("SELECT pg_notify('tessera_probe', 'own')");
        await own;
        expect(heard).toEqual(["own"]);
      } finally {
        await Promise.all([listener.end(), sender.end()]);
      }
    },
  );

  it("delivers every event of another process's job once, in order, after the current state", async () => {
    const admin = await gateway.prisma.user.findFirstOrThrow({ where: { handle: "admin" } });
    const job = await gateway.prisma.job.create({
      data: {
        kind: "embed-dataset-version",
        payload: { runId: "00000000-0000-0000-0000-000000000000", datasetVersionId: "" },
        ownerId: admin.id,
        status: "RUNNING",
        maxAttempts: 1,
      },
    });
    const client = createClient({
      url: `${gateway.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${gateway.adminToken}` },
    });
    try {
      const received: Array<{ type: string; seq: number; at: number; receivedAt: number; done?: number }> =
        [];
      let subscribed!: () => void;
      const ready = new Promise<void>((resolve) => (subscribed = resolve));
      const streamed = (async () => {
        const events = client.iterate<{
          jobEvents: { __typename: string; seq: number; at: string; done?: number };
        }>({
          query: `subscription ($id: ID!) { jobEvents(jobId: $id) {
            __typename
            ... on JobSnapshotEvent { seq at job { id status } }
            ... on JobProgressEvent { seq at done }
            ... on JobStateEvent { seq at status }
          } }`,
          variables: { id: job.id },
        });
        for await (const event of events) {
          expect(event.errors).toBeUndefined();
          const { __typename, seq, at, done } = event.data!.jobEvents;
          received.push({ type: __typename, seq, at: Date.parse(at), receivedAt: Date.now(), done });
          if (__typename === "JobSnapshotEvent") subscribed();
        }
      })();
      await ready;
      const appender = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "gateway/test/jobs/append-events.ts",
          database.url,
          job.id,
          String(EVENTS),
          String(INTERVAL_MS),
        ],
        { cwd: repoRoot, stdio: ["ignore", "inherit", "inherit"] },
      );
      const [code] = await once(appender, "exit");
      expect(code).toBe(0);
      await streamed;

      expect(received[0]).toMatchObject({ type: "JobSnapshotEvent", seq: 0 });
      const later = received.slice(1);
      expect(later.map((event) => event.type)).toEqual([
        ...Array.from({ length: EVENTS }, () => "JobProgressEvent"),
        "JobStateEvent",
      ]);
      expect(later.map((event) => event.seq)).toEqual(
        Array.from({ length: EVENTS + 1 }, (_, index) => index + 1),
      );
      expect(later.slice(0, EVENTS).map((event) => event.done)).toEqual(
        Array.from({ length: EVENTS }, (_, index) => index + 1),
      );
      if (onRealServer) {
        const latencies = later.map((event) => event.receivedAt - event.at).sort((a, b) => a - b);
        const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1]!;
        expect(p99, `latencies ${latencies.join(",")}`).toBeLessThanOrEqual(200);
      }
    } finally {
      await client.dispose();
    }
  }, 120_000);
});

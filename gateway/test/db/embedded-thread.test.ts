import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import pg from "pg";
import { queryRows } from "../support/database";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isEmbeddedDatabase } from "../../src/db/embedded-database";
import {
  startEmbeddedPostgres,
  startEphemeralPostgres,
  type EmbeddedPostgres,
} from "../../src/db/embedded-postgres";
import { createLogger } from "../../src/logger";

const logger = createLogger({ level: "silent" });

// The durable embedded database (what `npm start` opens) runs PGlite on a thread of its own;
// these check that its clients see the same database as before, and what happens when the
// thread fails to start or stops.
const workDir = fs.mkdtempSync(path.join(tmpdir(), "tessera-thread-"));
const dataDir = path.join(workDir, "data");
const lockFile = (dir: string) => path.join(dir, "pg.lock");
let embedded: EmbeddedPostgres;
let thread: Worker;
const lost: Error[] = [];

const start = (dir: string) =>
  startEmbeddedPostgres(dir, logger, {
    onThreadLost: (error) => lost.push(error),
    onThreadStarted: (started) => (thread = started),
  });

beforeAll(async () => {
  embedded = await start(dataDir);
  await queryRows(embedded.url, "CREATE TABLE entries (id int PRIMARY KEY, note text)");
});

afterAll(async () => {
  await embedded.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("the embedded database on its own thread", () => {
  it("serves two pools at once, keeping each connection's transaction its own", async () => {
    const a = new pg.Pool({ connectionString: embedded.url, max: 4 });
    const b = new pg.Pool({ connectionString: embedded.url, max: 4 });
    try {
      const client = await a.connect();
      expect(await isEmbeddedDatabase(client as unknown as pg.Client)).toBe(true);
      await client.query("BEGIN");
      await client.query("INSERT INTO entries VALUES (1000, 'rolled back')");
      // The others' statements wait for A's transaction to end, then run outside it.
      const big = "x".repeat(200_000);
      const fromB = Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          b.query("INSERT INTO entries VALUES ($1, $2) RETURNING id, length(note) AS n", [
            i,
            i % 3 ? `b${i}` : big,
          ]),
        ),
      );
      const fromA = Promise.all(
        Array.from({ length: 30 }, (_, i) => a.query("SELECT $1::int * 2 AS doubled", [i])),
      );
      await client.query("ROLLBACK");
      client.release();
      expect((await fromA).map((answer) => answer.rows[0])).toEqual(
        Array.from({ length: 30 }, (_, i) => ({ doubled: i * 2 })),
      );
      expect((await fromB).map((answer) => answer.rows[0])).toEqual(
        Array.from({ length: 30 }, (_, i) => ({ id: i, n: i % 3 ? `b${i}`.length : big.length })),
      );
      expect((await a.query("SELECT count(*)::int AS n, max(id) AS top FROM entries")).rows).toEqual([
        { n: 30, top: 29 },
      ]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it("passes a notification only to the connection that sent it, as PGlite in the gateway's thread did", async () => {
    const listener = new pg.Client({ connectionString: embedded.url });
    const sender = new pg.Client({ connectionString: embedded.url });
    await Promise.all([listener.connect(), sender.connect()]);
    const heard: string[] = [];
    listener.on("notification", ({ payload }) => heard.push(`listener: ${payload}`));
    sender.on("notification", ({ payload }) => heard.push(`sender: ${payload}`));
    try {
      await listener.query("LISTEN news");
      await sender.query("NOTIFY news, 'from the sender'");
      await listener.query("NOTIFY news, 'from the listener'");
      // A notification travels in the answer of its connection's statement: after one more
      // round trip on each, anything either could have heard has arrived.
      await Promise.all([listener.query("SELECT 1"), sender.query("SELECT 1")]);
      expect(heard).toEqual(["sender: from the sender", "listener: from the listener"]);
    } finally {
      await Promise.all([listener.end(), sender.end()]);
    }
  });

  it("snapshots the data directory as a tarball an ephemeral database starts from", async () => {
    const tarball = await embedded.snapshot();
    expect(tarball).toBeInstanceOf(Blob);
    const copy = await startEphemeralPostgres(tarball);
    try {
      expect(await queryRows(copy.url, "SELECT count(*)::int AS n FROM entries")).toEqual([{ n: 30 }]);
    } finally {
      await copy.close();
    }
  });

  it("closes once however often asked, ends its thread, and finds its data at the next start", async () => {
    await queryRows(embedded.url, "INSERT INTO entries VALUES (100, 'kept')");
    const closing = [embedded.close(), embedded.close()];
    await Promise.all(closing);
    await embedded.close();
    expect(thread.threadId).toBe(-1);
    expect(fs.existsSync(lockFile(dataDir))).toBe(false);
    await expect(embedded.snapshot()).rejects.toThrow("the embedded database is closed");

    embedded = await start(dataDir);
    expect(await queryRows(embedded.url, "SELECT note FROM entries WHERE id = 100")).toEqual([
      { note: "kept" },
    ]);
    expect(lost).toEqual([]);
  });
});

describe("a thread that fails or stops", () => {
  it("rejects with PGlite's own error for a corrupt data directory, unlocked and with no thread left", async () => {
    const corrupt = path.join(workDir, "corrupt");
    fs.cpSync(dataDir, corrupt, { recursive: true, filter: (source) => source !== lockFile(dataDir) });
    fs.writeFileSync(path.join(corrupt, "pg", "global", "pg_control"), Buffer.alloc(8192, 7));
    // The thread itself, not the process's thread count: other threads (libuv's, V8's, the test
    // runner's) may come and go meanwhile (CI once saw two fewer). A worker's "exit" is emitted after
    // its OS thread has been joined, and its threadId is -1 once it no longer runs.
    let created: Worker | null = null;
    let exited = false;
    const failed = startEmbeddedPostgres(corrupt, logger, {
      onThreadLost: (error) => lost.push(error),
      onThreadCreated: (worker) => {
        created = worker;
        worker.once("exit", () => (exited = true));
      },
    });

    await expect(failed).rejects.toThrow(/^PGlite failed to initialize properly$/);
    expect(created).not.toBeNull();
    expect(exited).toBe(true);
    expect(created!.threadId).toBe(-1);
    expect(fs.existsSync(lockFile(corrupt))).toBe(false);
  });

  it("tells the owner, unlocks and stops serving when the thread dies; the next start recovers its data", async () => {
    await queryRows(embedded.url, "INSERT INTO entries VALUES (200, 'before the crash')");
    const pool = new pg.Pool({ connectionString: embedded.url, max: 2 });
    pool.on("error", () => {});
    await pool.query("SELECT 1");

    await thread.terminate();

    await vi.waitFor(() =>
      expect(lost.map((error) => error.message)).toEqual([
        "the embedded database's thread stopped unexpectedly (exit code 1)",
      ]),
    );
    expect(fs.existsSync(lockFile(dataDir))).toBe(false);
    await expect(pool.query("SELECT 1")).rejects.toThrow();
    await expect(queryRows(embedded.url, "SELECT 1")).rejects.toThrow("ECONNREFUSED");
    await expect(embedded.snapshot()).rejects.toThrow("the embedded database is closed");
    await embedded.close();
    await pool.end();

    embedded = await start(dataDir);
    expect(await queryRows(embedded.url, "SELECT note FROM entries WHERE id = 200")).toEqual([
      { note: "before the crash" },
    ]);
    lost.length = 0;
  });

  it("by default logs the loss and exits the process with 1, for its supervisor to restart it", async () => {
    await embedded.close();
    const child = spawn(
      process.execPath,
      [
        "--experimental-wasm-modules",
        "--no-warnings=ExperimentalWarning",
        "--import",
        "tsx",
        fileURLToPath(new URL("./lose-embedded-thread.ts", import.meta.url)),
        dataDir,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, "exit")) as [number | null];

    expect(code).toBe(1);
    const fatal = output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message: string } })
      .filter((line) => line.level === 60);
    expect(fatal).toEqual([
      expect.objectContaining({
        msg: "the embedded database stopped; exiting so that the gateway is started again on its data",
        err: expect.objectContaining({
          message: "the embedded database's thread stopped unexpectedly (exit code 1)",
        }),
      }),
    ]);
    embedded = await start(dataDir);
    expect(await queryRows(embedded.url, "SELECT count(*)::int AS n FROM entries")).toEqual([{ n: 32 }]);
  });
});

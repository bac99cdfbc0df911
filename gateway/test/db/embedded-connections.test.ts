import fs from "node:fs";
import { connect as openSocket, type Socket } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { createLogger } from "../../src/logger";
import {
  startEmbeddedPostgres,
  startEphemeralPostgres,
  type EmbeddedPostgres,
} from "../../src/db/embedded-postgres";
import { servePGlite } from "../../src/db/pglite-server";

const logger = createLogger({ level: "silent" });

// PGlite is a single backend; these check that serving it to several pg connections keeps each
// connection's work to itself, as separate backends would.
let embedded: EmbeddedPostgres;
let pool: pg.Pool;

beforeAll(async () => {
  embedded = await startEphemeralPostgres();
  pool = new pg.Pool({ connectionString: embedded.url, max: 8 });
  await pool.query("CREATE TABLE entries (id int)");
});

afterAll(async () => {
  await pool.end();
  await embedded.close();
});

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: embedded.url });
  client.on("error", () => {});
  await client.connect();
  return client;
}

describe("embedded PostgreSQL with several connections", () => {
  it("runs another connection's statements outside an open transaction, after it ends", async () => {
    await pool.query("DELETE FROM entries");
    const a = await connect();
    const b = await connect();
    await a.query("BEGIN");
    await a.query("INSERT INTO entries VALUES (1)");

    let bFinished = false;
    const bInsert = b.query("INSERT INTO entries VALUES (2)").then(() => (bFinished = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bFinished).toBe(false);
    await a.query("ROLLBACK");
    await bInsert;

    // B's row survived A's rollback: it was not part of A's transaction.
    expect((await pool.query("SELECT id FROM entries")).rows).toEqual([{ id: 2 }]);
    await Promise.all([a.end(), b.end()]);
  });

  it("keeps concurrent parameterised queries apart even when they span several packets", async () => {
    const big = "x".repeat(300_000);
    const results = await Promise.all(
      Array.from({ length: 120 }, async (_, i) =>
        i % 3 === 0
          ? (await pool.query("SELECT length($1::text) AS n, $2::int AS i", [big, i])).rows[0]
          : (await pool.query("SELECT $1::int AS i", [i])).rows[0],
      ),
    );

    expect(results).toEqual(
      Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? { n: big.length, i } : { i })),
    );
  });

  it("rolls back the transaction of a connection that drops, and serves the others", async () => {
    await pool.query("DELETE FROM entries");
    const leaving = await connect();
    await leaving.query("BEGIN");
    await leaving.query("INSERT INTO entries VALUES (3)");

    (leaving as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();

    expect((await pool.query("SELECT count(*)::int AS n FROM entries")).rows).toEqual([{ n: 0 }]);
  });
});

describe("signing in to embedded PostgreSQL", () => {
  const withCredentials = (user: string, password: string | null) => {
    const url = new URL(embedded.url);
    url.username = user;
    url.password = password ?? "";
    return url.toString();
  };

  async function refusal(connectionString: string): Promise<{ code?: string; message: string }> {
    const client = new pg.Client({ connectionString });
    client.on("error", () => {});
    return client.connect().then(
      async () => {
        await client.end();
        return { message: "signed in" };
      },
      (error: { code?: string; message: string }) => ({ code: error.code, message: error.message }),
    );
  }

  it("refuses a client without the password, with a wrong one, or as another user", async () => {
    expect((await refusal(withCredentials("postgres", null))).message).toContain("password");
    expect(await refusal(withCredentials("postgres", "not-the-password"))).toEqual({
      code: "28P01",
      message: 'password authentication failed for user "postgres"',
    });
    const password = new URL(embedded.url).password;
    expect(await refusal(withCredentials("admin", password))).toEqual({
      code: "28P01",
      message: 'password authentication failed for user "admin"',
    });
    // Refused connections leave nothing behind, not even a connection slot (64 in all).
    for (let attempt = 0; attempt < 70; attempt += 1) {
      expect((await refusal(withCredentials("postgres", "not-the-password"))).code).toBe("28P01");
    }
    expect((await pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    expect(await refusal(embedded.url)).toEqual({ message: "signed in" });
  });

  it("drops clients that reset, stall or send garbage mid-handshake, and serves the others", async () => {
    const { port } = new URL(embedded.url);
    const raw = (send: Buffer, then: (socket: ReturnType<typeof openSocket>) => void) =>
      new Promise<void>((resolve) => {
        const socket = openSocket({ host: "127.0.0.1", port: Number(port) }, () => {
          socket.write(send);
          then(socket);
        });
        socket.on("error", () => {});
        socket.resume();
        socket.on("close", () => resolve());
      });
    const startup = Buffer.from("\0\0\0\x17\0\x03\0\0user\0postgres\0\0");
    await raw(startup.subarray(0, 10), (socket) => socket.resetAndDestroy());
    await raw(startup, (socket) => setTimeout(() => socket.resetAndDestroy(), 50));
    await raw(Buffer.from("\0\0\0\x08garbage!!"), () => {});
    expect(await refusal(embedded.url)).toEqual({ message: "signed in" });
  });

  it("keeps letting the gateway's pool in while 100 sockets sit in the password handshake", async () => {
    const { port } = new URL(embedded.url);
    const startup = Buffer.from("\0\0\0\x17\0\x03\0\0user\0postgres\0\0");
    let closed = 0;
    // Each sends its startup message and then never answers the password challenge.
    const idle = await Promise.all(
      Array.from(
        { length: 100 },
        () =>
          new Promise<Socket>((resolve) => {
            const socket = openSocket({ host: "127.0.0.1", port: Number(port) }, () => {
              socket.write(startup);
              resolve(socket);
            });
            socket.on("error", () => {});
            socket.on("close", () => (closed += 1));
            socket.resume();
          }),
      ),
    );
    try {
      // Only the 16 newest are kept waiting; the others were pushed out, not left holding slots.
      await vi.waitFor(() => expect(closed).toBe(100 - 16));
      const gatewayPool = new pg.Pool({ connectionString: embedded.url, max: 4 });
      try {
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) => gatewayPool.query("SELECT $1::int AS i", [i])),
        );
        expect(answers.map((answer) => answer.rows[0])).toEqual(Array.from({ length: 8 }, (_, i) => ({ i })));
      } finally {
        await gatewayPool.end();
      }
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });

  it("listens on 127.0.0.1 only", async () => {
    const { port } = new URL(embedded.url);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === "IPv4" && !address.internal);
    const attempts = ["127.0.0.1", ...(external ? [external.address] : []), "::1"].map(
      (host) =>
        new Promise<string>((resolve) => {
          const socket = openSocket({ host, port: Number(port) });
          socket.once("connect", () => {
            socket.destroy();
            resolve(`${host} open`);
          });
          socket.once("error", (error: NodeJS.ErrnoException) => resolve(`${host} ${error.code}`));
        }),
    );
    expect(await Promise.all(attempts)).toEqual([
      "127.0.0.1 open",
      ...(external ? [`${external.address} ECONNREFUSED`] : []),
      expect.stringMatching(/^::1 (ECONNREFUSED|EADDRNOTAVAIL)$/),
    ]);
  });
});

describe("the embedded database's directories", () => {
  it("are made owner-only at every start, even when an earlier version left them open", async () => {
    const dataDir = fs.mkdtempSync(path.join(tmpdir(), "tessera-modes-"));
    try {
      // As an install from before the directories were created 0700 left them.
      fs.chmodSync(dataDir, 0o755);
      fs.mkdirSync(path.join(dataDir, "pg"), { mode: 0o755 });
      fs.mkdirSync(path.join(dataDir, "blobs"), { mode: 0o755 });
      fs.writeFileSync(path.join(dataDir, "blobs", "kept"), "x", { mode: 0o644 });

      const started = await startEmbeddedPostgres(dataDir, logger);
      await started.close();

      const mode = (...parts: string[]) => fs.statSync(path.join(dataDir, ...parts)).mode & 0o777;
      expect({ dataDir: mode(), pg: mode("pg") }).toEqual({ dataDir: 0o700, pg: 0o700 });
      // Only the directories themselves: what is inside keeps its mode (out of reach all the same).
      expect({ blobs: mode("blobs"), kept: mode("blobs", "kept") }).toEqual({ blobs: 0o755, kept: 0o644 });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("a WebAssembly trap in PGlite", () => {
  it("is reported to the server's owner; an ordinary error is not", async () => {
    // A stand-in backend: PGlite's own traps cannot be caused from SQL.
    const { RuntimeError } = (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } })
      .WebAssembly;
    let next: Error = new Error("an ordinary failure");
    const backend = {
      runExclusive: <T>(work: () => Promise<T>) => work(),
      execProtocolRawStream: () => Promise.reject(next),
      isInTransaction: () => false,
      exec: () => Promise.resolve([]),
    } as unknown as PGlite;
    const traps: string[] = [];
    const server = await servePGlite(backend, {
      maxConnections: 4,
      password: "secret",
      onTrap: (error) => traps.push(error.message),
    });
    const url = `postgresql://postgres:secret@127.0.0.1:${server.port}/postgres`;
    const signIn = async () => {
      const client = new pg.Client({ connectionString: url });
      client.on("error", () => {});
      await expect(client.connect()).rejects.toThrow();
    };
    try {
      await signIn();
      expect(traps).toEqual([]);
      next = new RuntimeError("Aborted(test)");
      await signIn();
      expect(traps).toEqual(["Aborted(test)"]);
    } finally {
      await server.close();
    }
  });
});

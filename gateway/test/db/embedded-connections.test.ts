import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEphemeralPostgres, type EmbeddedPostgres } from "../../src/db/embedded-postgres";

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

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgPool } from "../../src/db/prisma";
import { createTestDatabase, type TestDatabase } from "../support/database";

const statements: string[] = [];
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ onQuery: (sql) => statements.push(sql) });
});

afterAll(async () => {
  await database.close();
});

describe("createPrisma", () => {
  it("starts on an empty, migrated database", async () => {
    expect(await database.prisma.user.count()).toBe(0);
  });

  it("reports each statement sent, including those of a transaction", async () => {
    statements.length = 0;

    const user = await database.prisma.user.create({ data: { handle: "ada" } });
    await database.prisma.$transaction([
      database.prisma.apiToken.create({
        data: { userId: user.id, name: "ci", publicId: "ab", tokenHash: "h1" },
      }),
      database.prisma.apiToken.create({
        data: { userId: user.id, name: "laptop", publicId: "cd", tokenHash: "h2" },
      }),
    ]);

    expect(statements.map((sql) => sql.split(/\s/)[0])).toEqual([
      "INSERT",
      "BEGIN",
      "INSERT",
      "INSERT",
      "COMMIT",
    ]);
  });

  it("shares the database with a plain pg pool for hand-written SQL", async () => {
    statements.length = 0;
    const pool = createPgPool(database.url, { onQuery: (sql) => statements.push(sql) });

    const { rows } = await pool.query<{ handle: string; tokens: number }>(
      `SELECT u.handle, count(t.id)::int AS tokens FROM "User" u JOIN "ApiToken" t ON t."userId" = u.id GROUP BY u.handle`,
    );
    await pool.end();

    expect(rows).toEqual([{ handle: "ada", tokens: 2 }]);
    expect(statements).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expensiveRateState, rateShape, spendExpensive } from "../../src/quotas/expensive-rate";
import { createTestDatabase, type TestDatabase } from "../support/database";

let database: TestDatabase;
let userId: string;
const t0 = new Date("2026-12-07T12:00:00.000Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function newUser(handle: string): Promise<string> {
  return (await database.prisma.user.create({ data: { handle } })).id;
}

describe("the expensive-operations rate (GCRA in RateLimitState)", () => {
  it("admits exactly `limit` operations at once and refuses the next, saying when it would fit", async () => {
    userId = await newUser("gcra-boundary");
    for (let i = 0; i < 3; i++)
      expect(await spendExpensive(database.prisma, userId, 1, 3, t0)).toEqual({ admitted: true });
    expect(await spendExpensive(database.prisma, userId, 1, 3, t0)).toEqual({
      admitted: false,
      retryAfterSeconds: 20,
    });
    // The refusal spent nothing: the row still says three slots, freeing at t0 + 60 s.
    expect(await expensiveRateState(database.prisma, userId, 3, t0)).toEqual({
      used: 3,
      retryAfterSeconds: 20,
      freesAt: at(60_000),
    });
    expect(await database.prisma.rateLimitState.findMany({ where: { userId } })).toEqual([
      { userId, bucket: "expensive", tat: at(60_000) },
    ]);
  });

  it("frees one slot per emission interval: one more 20 s later, not one millisecond sooner", async () => {
    expect(await spendExpensive(database.prisma, userId, 1, 3, at(19_999))).toEqual({
      admitted: false,
      retryAfterSeconds: 1,
    });
    expect(await spendExpensive(database.prisma, userId, 1, 3, at(20_000))).toEqual({ admitted: true });
    expect(await spendExpensive(database.prisma, userId, 1, 3, at(20_000))).toEqual({
      admitted: false,
      retryAfterSeconds: 20,
    });
    // Idle for a whole window: empty again.
    expect(await expensiveRateState(database.prisma, userId, 3, at(80_000))).toEqual({
      used: 0,
      retryAfterSeconds: null,
      freesAt: null,
    });
  });

  it("spends an operation's several slots all or none", async () => {
    const user = await newUser("gcra-cells");
    expect(await spendExpensive(database.prisma, user, 2, 3, t0)).toEqual({ admitted: true });
    expect(await spendExpensive(database.prisma, user, 2, 3, t0)).toEqual({
      admitted: false,
      retryAfterSeconds: 20,
    });
    expect(await spendExpensive(database.prisma, user, 1, 3, t0)).toEqual({ admitted: true });
    expect(await expensiveRateState(database.prisma, user, 3, t0)).toMatchObject({
      used: 3,
      retryAfterSeconds: 20,
    });
  });

  it("keeps the boundary exact when 60000 ms is not a multiple of the limit", async () => {
    expect(rateShape(7)).toEqual({ intervalMs: 8571, windowMs: 59_997 });
    const user = await newUser("gcra-seven");
    for (let i = 0; i < 7; i++)
      expect((await spendExpensive(database.prisma, user, 1, 7, t0)).admitted).toBe(true);
    expect((await spendExpensive(database.prisma, user, 1, 7, t0)).admitted).toBe(false);
    expect(rateShape(10_000)).toEqual({ intervalMs: 6, windowMs: 60_000 });
  });

  it("an unlimited user has no window", async () => {
    expect(await expensiveRateState(database.prisma, userId, null)).toEqual({
      used: 0,
      retryAfterSeconds: null,
      freesAt: null,
    });
  });
});

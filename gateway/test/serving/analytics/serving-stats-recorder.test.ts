import "reflect-metadata";
import { describe, expect, it } from "vitest";
import type { PrismaClient } from "../../../src/generated/prisma/client";
import { createLogger } from "../../../src/logger";
import { ServingStatsRecorder } from "../../../src/serving/analytics/serving-stats-recorder";
import { ServingAnalyticsService } from "../../../src/serving/analytics/serving-analytics.service";
import { AnalyticsWindow } from "../../../src/serving/serving.types";
import type { Scored } from "../../../src/serving/scorer";

const scored: Scored = {
  scores: [],
  latencyMs: 2,
  servedBy: "tier:a",
  cached: false,
  degraded: false,
  members: null,
  usedFallback: false,
  timings: { queueMs: 1, computeMs: 2, batchSize: 1 },
};

/** The two tables the recorder touches, in memory. */
function fakePrisma(versions: string[]) {
  const rows: Array<Record<string, unknown>> = [];
  const prisma = {
    modelVersion: {
      findMany: async ({ where }: { where: { id: { in: string[] } } }) =>
        where.id.in.filter((id) => versions.includes(id)).map((id) => ({ id })),
    },
    servingStat: {
      findMany: async ({ where }: { where: { modelVersionId: string; minute: { gte: Date } } }) =>
        rows.filter(
          (row) => row.modelVersionId === where.modelVersionId && (row.minute as Date) >= where.minute.gte,
        ),
      createMany: async ({ data }: { data: Array<Record<string, unknown>> }) => {
        rows.push(...data);
        return { count: data.length };
      },
      deleteMany: async () => ({ count: 0 }),
    },
  };
  return { rows, prisma: prisma as unknown as PrismaClient };
}

describe("ServingStatsRecorder", () => {
  it("appends one row per version and minute, drops deleted versions, and writes the rest on stop", async () => {
    let now = Date.UTC(2026, 11, 7, 9, 59, 58);
    const { rows, prisma } = fakePrisma(["v1"]);
    const recorder = new ServingStatsRecorder(prisma, createLogger({ level: "silent" }), { now: () => now });
    recorder.record("v1", { scored, gatewayMs: 3 });
    recorder.record("v1", { errorCode: "NOT_FOUND", gatewayMs: 1 });
    recorder.record("deleted", { scored, gatewayMs: 3 });
    now += 4_000;
    recorder.record("v1", { scored, gatewayMs: 3 });
    // The timer's flush writes only minutes that have ended; a read's flush writes everything.
    await recorder.flush(false);
    expect(rows.map((row) => row.requests)).toEqual([2]);
    await recorder.flush();

    expect(rows.map((row) => [row.modelVersionId, (row.minute as Date).toISOString(), row.requests])).toEqual(
      [
        ["v1", "2026-12-07T09:59:00.000Z", 2],
        ["v1", "2026-12-07T10:00:00.000Z", 1],
      ],
    );
    expect(rows[0]).toMatchObject({
      errors: { NOT_FOUND: 1 },
      servedBy: { "tier:a": 1 },
      batchSizes: { "1": 1 },
    });

    // Nothing new: no row; a later request is written by stop.
    await recorder.flush();
    expect(rows).toHaveLength(2);
    recorder.record("v1", { scored, gatewayMs: 3 });
    await recorder.stop();
    expect(rows).toHaveLength(3);
  });

  it("answers analytics from stored rows plus the minutes in memory, writing no row however often it is read", async () => {
    let now = Date.UTC(2026, 11, 7, 9, 59, 30);
    const { rows, prisma } = fakePrisma(["v1"]);
    const recorder = new ServingStatsRecorder(prisma, createLogger({ level: "silent" }), { now: () => now });
    const analytics = new ServingAnalyticsService(prisma, recorder, () => now);
    recorder.record("v1", { scored, gatewayMs: 3, cacheLookup: true });
    now += 60_000;
    recorder.record("v1", {
      scored: { ...scored, cached: true, servedBy: "cache" },
      gatewayMs: 1,
      cacheLookup: true,
    });
    // The ended minute is stored; the current one stays in memory.
    await recorder.flush(false);
    expect(rows).toHaveLength(1);

    for (let read = 0; read < 3; read++) {
      const answer = await analytics.read("v1", AnalyticsWindow.LAST_15_MINUTES);
      expect(answer).toMatchObject({ requests: 2, cacheHits: 1, cacheMisses: 1 });
      expect(answer.series.slice(-2).map((point) => point.requests)).toEqual([1, 1]);
    }
    expect(rows).toHaveLength(1);
    expect((await analytics.read("other", AnalyticsWindow.LAST_HOUR)).requests).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import type { PrismaClient } from "../../src/generated/prisma/client";
import { GatewayMetrics, servedByKind } from "../../src/metrics/gateway-metrics";

const noJobs = {
  job: {
    groupBy: async () => [
      { kind: "train-model", status: "QUEUED", _count: { _all: 2 }, _min: { createdAt: null } },
    ],
  },
} as unknown as PrismaClient;

describe("gateway metric labels", () => {
  it("name where an answer came from by kind, never by address", () => {
    expect(
      ["tier:10.0.0.7:8001", "remote:api.example.com", "ensemble", "cache", ""].map(servedByKind),
    ).toEqual(["tier", "remote", "ensemble", "cache", "unknown"]);
  });

  it("keep client-chosen operation names bounded: odd names and names past the cap count as other", async () => {
    const metrics = new GatewayMetrics(noJobs);
    metrics.graphqlOperation("Fine_Name1", "query", "success", 0.01);
    metrics.graphqlOperation("bad name}", "query", "error", 0.01);
    metrics.graphqlOperation(null, "mutation", "invalid", 0.01);
    for (let i = 0; i < 250; i++) metrics.graphqlOperation(`Op${i}`, "query", "success", 0.01);
    const text = await metrics.metrics();
    const line = (labels: string) =>
      text.split("\n").find((l) => l.startsWith(`tessera_graphql_operations_total{${labels}}`));
    expect(line('operation="Fine_Name1",type="query",outcome="success"')).toMatch(/ 1$/);
    expect(line('operation="other",type="query",outcome="error"')).toMatch(/ 1$/);
    expect(line('operation="anonymous",type="mutation",outcome="invalid"')).toMatch(/ 1$/);
    // 199 more names fit under the cap of 200; the other 51 share one series.
    expect(line('operation="other",type="query",outcome="success"')).toMatch(/ 51$/);
    expect(text).toContain('tessera_jobs{kind="train-model",status="QUEUED"} 2');
  });

  it("reads the jobs table at most once per 10 s of scrapes", async () => {
    let now = 1_000_000;
    let reads = 0;
    const prisma = {
      job: {
        groupBy: async () => {
          reads += 1;
          return [
            { kind: "train-model", status: "QUEUED", _count: { _all: reads }, _min: { createdAt: null } },
          ];
        },
      },
    } as unknown as PrismaClient;
    const metrics = new GatewayMetrics(prisma, () => now);
    await metrics.metrics();
    now += 9_999;
    expect(await metrics.metrics()).toContain('tessera_jobs{kind="train-model",status="QUEUED"} 1');
    // Two queries (counts by status, oldest queued) per read of the table.
    expect(reads).toBe(2);
    now += 1;
    expect(await metrics.metrics()).toContain('tessera_jobs{kind="train-model",status="QUEUED"} 3');
    expect(reads).toBe(4);
  });

  it("count an ensemble's members apart from the classifications asked for", async () => {
    const metrics = new GatewayMetrics(noJobs);
    const scored = {
      scores: [],
      latencyMs: 1,
      cached: false,
      degraded: false,
      usedFallback: false,
      timings: null,
    };
    metrics.record("e", { scored: { ...scored, servedBy: "ensemble", members: [] }, gatewayMs: 5 });
    metrics.record("m1", {
      scored: { ...scored, servedBy: "tier:a", members: null },
      gatewayMs: 4,
      member: true,
    });
    metrics.record("m2", { errorCode: "SERVICE_UNAVAILABLE", gatewayMs: 4, member: true });
    const text = await metrics.metrics();
    const value = (series: string) =>
      Number(
        text
          .split("\n")
          .find((l) => l.startsWith(`${series} `))
          ?.split(" ")[1],
      );
    expect(value('tessera_scoring_requests_total{outcome="ok",served_by="ensemble",role="request"}')).toBe(1);
    expect(value('tessera_scoring_requests_total{outcome="ok",served_by="tier",role="member"}')).toBe(1);
    expect(
      value('tessera_scoring_requests_total{outcome="SERVICE_UNAVAILABLE",served_by="none",role="member"}'),
    ).toBe(1);
    // Node's process metrics come from one registry per process, however many gateways it runs.
    expect(text).toContain("tessera_process_cpu_user_seconds_total");
  });
});

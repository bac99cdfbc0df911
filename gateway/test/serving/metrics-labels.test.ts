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
});

import { afterAll, describe, expect, it } from "vitest";
import { startMetricsServer, type MetricsServer } from "../../src/metrics/metrics-server";
import { tritonMetricsRegistry } from "../../src/metrics/triton-metrics";
import { VersionStatistics } from "../../src/runtime/model-statistics";

function statisticsOf(requests: number): VersionStatistics {
  const statistics = new VersionStatistics();
  const compute = { inputNs: 2_000, inferNs: 30_000, outputNs: 1_000 };
  statistics.recordExecution(requests, compute);
  for (let i = 0; i < requests; i++) statistics.recordSuccess(1, 50_000, 7_000, compute);
  statistics.recordFailure(9_000);
  return statistics;
}

describe("the tier's Prometheus metrics", () => {
  const loaded = [
    { name: "colours", version: "1", statistics: statisticsOf(2) },
    { name: "colours", version: "2", statistics: statisticsOf(3) },
  ];
  let server: MetricsServer | undefined;

  afterAll(async () => {
    await server?.close();
  });

  it("are Triton's counters, per model and version, from the versions' statistics", async () => {
    const text = await tritonMetricsRegistry(() => loaded).metrics();
    const sample = (name: string, version: string) =>
      text.split("\n").find((line) => line.startsWith(`${name}{model="colours",version="${version}"}`));
    expect(sample("nv_inference_request_success", "1")).toMatch(/ 2$/);
    expect(sample("nv_inference_request_success", "2")).toMatch(/ 3$/);
    expect(sample("nv_inference_request_failure", "2")).toMatch(/ 1$/);
    expect(sample("nv_inference_count", "2")).toMatch(/ 3$/);
    expect(sample("nv_inference_exec_count", "2")).toMatch(/ 1$/);
    // 3 requests × 7 µs queued, 3 × 30 µs inferring, 3 × 50 µs in all.
    expect(sample("nv_inference_queue_duration_us", "2")).toMatch(/ 21$/);
    expect(sample("nv_inference_compute_infer_duration_us", "2")).toMatch(/ 90$/);
    expect(sample("nv_inference_request_duration_us", "2")).toMatch(/ 150$/);
    expect(text).toContain("# TYPE nv_inference_count counter");
  });

  it("drop the series of a version no longer loaded", async () => {
    const registry = tritonMetricsRegistry(() => loaded.slice(1));
    const text = await registry.metrics();
    expect(text).not.toContain('version="1"');
  });

  it("are served on GET /metrics of their own port, and nothing else is", async () => {
    server = await startMetricsServer(
      tritonMetricsRegistry(() => loaded),
      "127.0.0.1",
      0,
    );
    const base = `http://127.0.0.1:${server.port}`;
    const scraped = await fetch(`${base}/metrics`);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toContain("text/plain");
    expect(await scraped.text()).toContain('nv_inference_request_success{model="colours",version="1"} 2');
    expect((await fetch(`${base}/`)).status).toBe(404);
  });
});

import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway";
import {
  buildColourClassifier,
  deployReady,
  solidPng,
  UNIT_PREPROCESSING,
  uploadOnnx,
  withImage,
} from "../inference/inference-api";

const METRICS_TOKEN = "metrics-test-token";

const CLASSIFY = `
  mutation ObservedClassify($id: ID!, $image: ImageInput!) {
    classifyImage(modelVersionId: $id, image: $image) { cached servedBy predictions { label } }
  }`;

const ANALYTICS = `
  query ($id: ID!) {
    modelVersion(id: $id) {
      deployment {
        analytics(window: LAST_15_MINUTES) {
          window requests errors { key count } cacheHits cacheMisses cacheHitRate fallbackRate degraded
          servedBy { key count } batchSizes { key count }
          latency { gateway { p50 p99 } queue { p50 } compute { p50 } }
          series { requests errors }
        }
      }
    }
  }`;

/** A port nobody listens on now, for the tier's metrics (0 would turn them off). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Prometheus' text format → value per `name{labels}` as printed. */
async function scrape(url: string, token?: string): Promise<Map<string, number>> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(response.status).toBe(200);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** Per-model analytics and the two Prometheus endpoints, through one gateway and its own tier. */
describe("serving analytics and metrics", () => {
  let gateway: TestGateway;
  let tierMetricsUrl: string;
  let versionId: string;

  beforeAll(async () => {
    const port = await freePort();
    tierMetricsUrl = `http://127.0.0.1:${port}/metrics`;
    gateway = await startTestGateway({
      env: { INFERENCE_METRICS_PORT: String(port), TESSERA_METRICS_TOKEN: METRICS_TOKEN },
    });
    const version = await uploadOnnx(gateway, "observed", buildColourClassifier());
    versionId = version.id;
    await deployReady(gateway, versionId, { preprocessing: UNIT_PREPROCESSING });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("moves the tier's Triton counters and the gateway's counters when an image is classified", async () => {
    const tierSeries = (name: string) => `${name}{model="admin.observed",version="1"}`;
    const tierBefore = await scrape(tierMetricsUrl);
    const gatewayBefore = await scrape(`${gateway.url}/metrics`, METRICS_TOKEN);
    const image = await solidPng([200, 30, 30]);

    const first = await withImage<{ classifyImage: { cached: boolean; servedBy: string } }>(
      gateway,
      CLASSIFY,
      { id: versionId },
      image,
    );
    const second = await withImage<{ classifyImage: { cached: boolean } }>(
      gateway,
      CLASSIFY,
      { id: versionId },
      image,
    );
    expect(first.data?.classifyImage).toMatchObject({
      cached: false,
      servedBy: expect.stringMatching(/^tier:/),
    });
    expect(second.data?.classifyImage.cached).toBe(true);

    const tierAfter = await scrape(tierMetricsUrl);
    const gatewayAfter = await scrape(`${gateway.url}/metrics`, METRICS_TOKEN);
    const tierMoved = (name: string) =>
      tierAfter.get(tierSeries(name))! - (tierBefore.get(tierSeries(name)) ?? 0);
    const gatewayMoved = (series: string) =>
      (gatewayAfter.get(series) ?? 0) - (gatewayBefore.get(series) ?? 0);
    // The second answer came from the gateway's cache: the tier ran the model once.
    expect(tierMoved("nv_inference_request_success")).toBe(1);
    expect(tierMoved("nv_inference_count")).toBe(1);
    expect(tierMoved("nv_inference_exec_count")).toBe(1);
    expect(tierMoved("nv_inference_compute_infer_duration_us")).toBeGreaterThan(0);
    expect(
      gatewayMoved(
        'tessera_graphql_operations_total{operation="ObservedClassify",type="mutation",outcome="success"}',
      ),
    ).toBe(2);
    expect(gatewayMoved('tessera_scoring_requests_total{outcome="ok",served_by="tier",role="request"}')).toBe(
      1,
    );
    expect(
      gatewayMoved('tessera_scoring_requests_total{outcome="ok",served_by="cache",role="request"}'),
    ).toBe(1);
    expect(gatewayMoved("tessera_prediction_cache_hits_total")).toBe(1);
    expect(gatewayMoved("tessera_prediction_cache_misses_total")).toBe(1);
  });

  it("answers the deployment's analytics from the stored minutes, stage by stage", async () => {
    const read = () =>
      gateway.gql<{ modelVersion: { deployment: { analytics: Record<string, unknown> } } }>(ANALYTICS, {
        id: versionId,
      });
    const body = await read();
    expect(body.errors).toBeUndefined();
    const analytics = body.data!.modelVersion.deployment.analytics as {
      servedBy: Array<{ key: string; count: number }>;
      latency: Record<string, { p50: number | null }>;
      series: Array<{ requests: number }>;
    };
    expect(analytics).toMatchObject({
      window: "LAST_15_MINUTES",
      requests: 2,
      errors: [],
      cacheHits: 1,
      cacheMisses: 1,
      cacheHitRate: 0.5,
      fallbackRate: 0,
      degraded: 0,
      batchSizes: [{ key: "1", count: 1 }],
    });
    expect(analytics.servedBy.map((entry) => [entry.key.split(":")[0], entry.count]).sort()).toEqual([
      ["cache", 1],
      ["tier", 1],
    ]);
    // Only the tier's answer has queue and compute times; the bucket bounds are fixed.
    expect(analytics.latency.queue!.p50).not.toBeNull();
    expect(analytics.latency.compute!.p50).not.toBeNull();
    expect(analytics.series).toHaveLength(15);
    expect(analytics.series.reduce((sum, point) => sum + point.requests, 0)).toBe(2);
    // Reads add no rows: at most one per minute the two requests fell in, and only once it ended.
    await read();
    await read();
    expect(
      await gateway.prisma.servingStat.count({ where: { modelVersionId: versionId } }),
    ).toBeLessThanOrEqual(2);
  });

  it("keeps another user's private deployment and the unauthenticated scrape out", async () => {
    const member = await gateway.createMember("metrics-member");
    // A private version (and so its deployment and analytics) does not exist for anyone else.
    expect(await gateway.gql(ANALYTICS, { id: versionId }, member)).toEqual({ data: { modelVersion: null } });
    const listed = await gateway.gql<{ deployments: unknown[] }>("{ deployments { id } }", {}, member);
    expect(listed.data?.deployments).toEqual([]);
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${gateway.url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status,
    ).toBe(401);
  });
});

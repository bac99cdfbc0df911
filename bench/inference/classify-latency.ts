import { runLoad, type LoadResult } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import type { GatewayClient } from "./gateway-with-tier";
import { classifyThroughGateway, connectTierClassify, deployBenchCnn } from "./classify-paths";
import { mediumCnn } from "./medium-cnn";

const CLIENT_COUNTS = [10, 50] as const;
const DURATION_MS = 20_000;
const WARMUP_MS = 2_000;
const TIER_DURATION_MS = 5_000;

/**
 * (e) Tail latency of `classifyImage` under load: 10 and then 50 clients classify the same PNG
 * through GraphQL for 20 s each, long enough to span several expiries of every cache on the
 * request's path, so a cache that every request refills at once shows as a p99 far above p50. The
 * tier's Classify with 50 clients shows the tail the tier alone has.
 */
export async function benchClassifyLatency(gateway: GatewayClient, tierPort: number): Promise<Ratio> {
  const cnn = await deployBenchCnn(gateway);
  const viaGateway = () => classifyThroughGateway(gateway, cnn);
  const rows: Array<[string, number, LoadResult]> = [];
  for (const clients of CLIENT_COUNTS) {
    await runLoad({ clients, durationMs: WARMUP_MS }, viaGateway);
    rows.push([
      "GraphQL classifyImage",
      clients,
      await runLoad({ clients, durationMs: DURATION_MS }, viaGateway),
    ]);
  }
  const tier = connectTierClassify(tierPort);
  try {
    const direct = () => tier.classify(cnn);
    const clients = CLIENT_COUNTS.at(-1)!;
    await runLoad({ clients, durationMs: WARMUP_MS }, direct);
    rows.push([
      "tier Classify (gRPC)",
      clients,
      await runLoad({ clients, durationMs: TIER_DURATION_MS }, direct),
    ]);
  } finally {
    tier.close();
  }
  printTable(
    `(e) classifyImage tail latency: ${mediumCnn.size}×${mediumCnn.size} PNG, ` +
      `${DURATION_MS / 1000} s per client count after ${WARMUP_MS / 1000} s warm-up`,
    ["path", "clients", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "p99 / p50"],
    rows.map(([label, clients, r]) => [
      label,
      String(clients),
      String(r.requests),
      formatNumber(r.perSecond),
      formatNumber(r.latencyMs.p50),
      formatNumber(r.latencyMs.p95),
      formatNumber(r.latencyMs.p99),
      formatNumber(r.maxMs),
      formatNumber(r.latencyMs.p99 / r.latencyMs.p50),
    ]),
  );
  const [, clients, loaded] = rows.find(([label, count]) => label.startsWith("GraphQL") && count === 50)!;
  return {
    name: `inference.classify-latency p99 at ${clients} clients`,
    subject: { label: "p99", value: loaded.latencyMs.p99, unit: "ms" },
    baseline: { label: "p50", value: loaded.latencyMs.p50, unit: "ms" },
    note: "lower is better; aim ≤ 3",
  };
}

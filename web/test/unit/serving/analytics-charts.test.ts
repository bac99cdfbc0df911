import { describe, expect, it } from "vitest";
import {
  batchHistogram,
  formatLatencyBound,
  formatMilliseconds,
  formatRate,
  latencyRows,
  trafficChartOption,
  type Analytics,
} from "../../../src/serving/analytics-charts";
import { analytics } from "./analytics-fixtures";

const fixture = analytics as unknown as Analytics;

describe("serving analytics figures", () => {
  it("read latencies in ms below a second and in seconds above, with a dash when there were no requests", () => {
    expect([4.25, 12.5, 999, 1240, null].map(formatMilliseconds)).toEqual([
      "4.3 ms",
      "13 ms",
      "999 ms",
      "1.24 s",
      "—",
    ]);
    expect([0.4, null].map(formatRate)).toEqual(["40.0%", "no data"]);
  });

  it("draw the batch-size histogram in size order, not in the server's most-first order", () => {
    expect(batchHistogram(fixture.batchSizes).map((bin) => [bin.key, bin.count])).toEqual([
      ["1", 5],
      ["4", 3],
      ["16", 1],
    ]);
  });

  it("stack successful and failed requests per bucket, with p95 on its own axis", () => {
    const option = trafficChartOption(fixture, "Traffic");
    const series = option.series as Array<{ name: string; data: unknown[]; yAxisIndex?: number }>;
    expect(series.map((entry) => [entry.name, entry.data, entry.yAxisIndex ?? 0])).toEqual([
      ["Requests", [4, 4], 0],
      ["Errors", [2, 0], 0],
      ["p95 latency", [100, null], 1],
    ]);
  });

  it("read a bucketed percentile as the upper bound it is, the last bucket as over the one before", () => {
    expect([20, 1, 500, 2000, 60_000, null].map(formatLatencyBound)).toEqual([
      "≤ 20 ms",
      "≤ 1.0 ms",
      "≤ 500 ms",
      "≤ 2.00 s",
      "> 30.00 s",
      "—",
    ]);
  });

  it("list each stage's percentiles", () => {
    expect(latencyRows(fixture).map((row) => [row.stage, row.p50, row.p95, row.p99])).toEqual([
      ["Gateway (whole request)", 20, 100, 500],
      ["Queue (tier batcher)", 1, 5, 10],
      ["Compute (ONNX Runtime)", null, null, null],
    ]);
  });
});

import { AnalyticsWindow, type DeploymentAnalyticsQuery } from "../gql/graphql";
import type { ChartOption } from "../ui/chart";
import { formatFraction } from "../ui/format";

export type Analytics = NonNullable<
  NonNullable<DeploymentAnalyticsQuery["modelVersion"]>["deployment"]
>["analytics"];

export interface KeyCount {
  key: string;
  count: number;
}

/** A latency as people read it: `12.3 ms`, `1.24 s`, and a dash when there were no requests. */
export function formatMilliseconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/**
 * The gateway's fixed latency buckets (gateway/src/serving/analytics/latency-histogram.ts, upper
 * bounds in ms). A percentile is the bound of the bucket it fell in, so it reads "≤ 20 ms"; the
 * last bound also counts everything slower than the one before it.
 */
export const latencyBoundsMs = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000,
] as const;

/** A bucketed percentile as what it is, an upper bound: `≤ 20 ms`, `> 30 s` for the last bucket. */
export function formatLatencyBound(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const [beforeLast, last] = latencyBoundsMs.slice(-2) as [number, number];
  if (ms >= last) return `> ${formatMilliseconds(beforeLast)}`;
  return `≤ ${formatMilliseconds(ms)}`;
}

/** A rate over the window, or "no data" when nothing was counted (null from the server). */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "no data" : formatFraction(rate);
}

const stages = [
  { key: "gateway", label: "Gateway (whole request)" },
  { key: "queue", label: "Queue (tier batcher)" },
  { key: "compute", label: "Compute (ONNX Runtime)" },
] as const;

/** A bucket's start: the time of day, with the date too over a week. */
export function bucketLabel(iso: string | null, window: AnalyticsWindow): string {
  const date = new Date(iso ?? "");
  if (Number.isNaN(date.getTime())) return "—";
  const time = { hour: "2-digit", minute: "2-digit" } as const;
  return window === AnalyticsWindow.LastWeek
    ? date.toLocaleString([], { month: "short", day: "numeric", ...time })
    : date.toLocaleTimeString([], time);
}

/** Requests and errors per bucket (bars) with the bucket's p95 latency on a second axis (line). */
export function trafficChartOption(analytics: Analytics, title: string): ChartOption {
  const times = analytics.series.map((point) => point.at);
  const errors = analytics.errors.reduce((sum, entry) => sum + entry.count, 0);
  return {
    aria: {
      enabled: true,
      label: {
        description: `${title}. ${analytics.requests} requests and ${errors} errors in ${analytics.series.length} buckets.`,
      },
    },
    grid: { left: 56, right: 64, top: 40, bottom: 40 },
    legend: { top: 0, data: ["Requests", "Errors", "p95 latency"] },
    tooltip: { trigger: "axis" },
    xAxis: {
      type: "category",
      data: times.map((at) => bucketLabel(at, analytics.window)),
    },
    yAxis: [
      { type: "value", name: "Requests", minInterval: 1 },
      { type: "value", name: "ms", axisLabel: { formatter: (value: number) => `${value}` } },
    ],
    series: [
      {
        type: "bar",
        name: "Requests",
        stack: "traffic",
        data: analytics.series.map((point) => point.requests - point.errors),
        itemStyle: { color: "#1f5fbf" },
      },
      {
        type: "bar",
        name: "Errors",
        stack: "traffic",
        data: analytics.series.map((point) => point.errors),
        itemStyle: { color: "#c0392b" },
      },
      {
        type: "line",
        name: "p95 latency",
        yAxisIndex: 1,
        data: analytics.series.map((point) => point.p95),
        connectNulls: false,
        showSymbol: false,
        tooltip: { valueFormatter: (value) => formatLatencyBound(value as number | null) },
      },
    ],
  };
}

/** The rows of the latency table: one per stage, its p50/p95/p99 in ms (null without requests). */
export function latencyRows(analytics: Analytics) {
  return stages.map(({ key, label }) => ({ stage: label, ...analytics.latency[key] }));
}

/** p50/p95/p99 side by side for each stage, on one ms axis. */
export function latencyChartOption(analytics: Analytics, title: string): ChartOption {
  const rows = latencyRows(analytics);
  const described = rows.map(
    (row) =>
      `${row.stage}: p50 ${formatLatencyBound(row.p50)}, p95 ${formatLatencyBound(row.p95)}, p99 ${formatLatencyBound(row.p99)}`,
  );
  return {
    aria: { enabled: true, label: { description: `${title}. ${described.join("; ")}.` } },
    grid: { left: 56, right: 24, top: 40, bottom: 40 },
    legend: { top: 0, data: ["p50", "p95", "p99"] },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (value) => formatLatencyBound(value as number | null),
    },
    xAxis: { type: "category", data: rows.map((row) => row.stage.split(" ")[0] ?? row.stage) },
    yAxis: { type: "value", name: "ms" },
    series: (["p50", "p95", "p99"] as const).map((percentile) => ({
      type: "bar" as const,
      name: percentile,
      data: rows.map((row) => row[percentile]),
      barMaxWidth: 24,
    })),
  };
}

/** Batch sizes in ascending numeric order: the server orders them by count, a histogram reads by size. */
export function batchHistogram(batchSizes: readonly KeyCount[]): KeyCount[] {
  return [...batchSizes].sort((a, b) => Number(a.key) - Number(b.key));
}

/** Requests by the size of the tier batch they ran in. */
export function batchSizeChartOption(batchSizes: readonly KeyCount[], title: string): ChartOption {
  const bins = batchHistogram(batchSizes);
  return {
    aria: {
      enabled: true,
      label: {
        description: `${title}. ${bins.map((bin) => `batch of ${bin.key}: ${bin.count}`).join(", ") || "no batches"}.`,
      },
    },
    grid: { left: 56, right: 24, top: 16, bottom: 48 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: {
      type: "category",
      name: "Batch size",
      nameLocation: "middle",
      nameGap: 28,
      data: bins.map((bin) => bin.key),
    },
    yAxis: { type: "value", name: "Requests", minInterval: 1 },
    series: [
      {
        type: "bar",
        name: "Requests",
        data: bins.map((bin) => bin.count),
        barMaxWidth: 32,
        itemStyle: { color: "#1f5fbf" },
      },
    ],
  };
}

/** Horizontal bars of counts by key, most first (as the server sends them): served-by, errors by code. */
export function countsChartOption(
  counts: readonly KeyCount[],
  title: string,
  color = "#1f5fbf",
): ChartOption {
  return {
    aria: {
      enabled: true,
      label: {
        description: `${title}. ${counts.map((entry) => `${entry.key}: ${entry.count}`).join(", ")}.`,
      },
    },
    grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: {
      type: "category",
      inverse: true,
      data: counts.map((entry) => entry.key),
      axisTick: { show: false },
    },
    series: [
      {
        type: "bar",
        name: "Requests",
        data: counts.map((entry) => entry.count),
        barMaxWidth: 26,
        itemStyle: { color },
        label: { show: true, position: "right" },
      },
    ],
  };
}

/** Pixels a horizontal bar chart needs for `count` bars. */
export function countsChartHeight(count: number): number {
  return 40 + Math.max(1, count) * 32;
}

import type { ChartOption } from "../ui/chart";
import { formatFraction } from "../ui/format";
import { formatLoss } from "./format-loss";
import { metricCurve, type MetricPoint } from "./metric-series";

export interface CurveMetric {
  /** The metric's stored name: loss, val_loss, accuracy, val_accuracy. */
  name: string;
  label: string;
}

export const lossMetrics: CurveMetric[] = [
  { name: "loss", label: "Training loss" },
  { name: "val_loss", label: "Validation loss" },
];

export const accuracyMetrics: CurveMetric[] = [
  { name: "accuracy", label: "Training accuracy" },
  { name: "val_accuracy", label: "Validation accuracy" },
];

/**
 * Lines over the epochs of one trial. The x axis spans the planned epochs from the start, so
 * the curves visibly grow toward the end instead of the axis stretching under them.
 */
export function curveChartOption(
  points: readonly MetricPoint[],
  trial: number,
  metrics: readonly CurveMetric[],
  plannedEpochs: number,
  scale: "fraction" | "plain",
  title: string,
): ChartOption {
  const curves = metrics.map((metric) => ({ metric, data: metricCurve(points, trial, metric.name) }));
  const lastEpoch = Math.max(1, ...curves.flatMap((curve) => curve.data.map(([epoch]) => epoch)));
  const format = (value: number) => (scale === "fraction" ? formatFraction(value) : formatLoss(value));
  const latest = curves
    .filter((curve) => curve.data.length > 0)
    .map(
      ({ metric, data }) =>
        `${metric.label.toLowerCase()} ${format(data.at(-1)![1])} at epoch ${data.at(-1)![0]}`,
    );
  return {
    // ECharts writes its aria description over the container's label: it names the latest figures.
    aria: {
      enabled: true,
      label: {
        description: `${title}. ${latest.length > 0 ? `Latest: ${latest.join(", ")}.` : "No epochs yet."}`,
      },
    },
    animationDurationUpdate: 300,
    grid: { left: 56, right: 24, top: 40, bottom: 40 },
    legend: { top: 0, data: metrics.map((metric) => metric.label) },
    tooltip: { trigger: "axis", valueFormatter: (value) => format(Number(value)) },
    xAxis: {
      type: "value",
      name: "Epoch",
      nameLocation: "middle",
      nameGap: 26,
      min: 1,
      max: Math.max(plannedEpochs, lastEpoch),
      minInterval: 1,
    },
    yAxis:
      scale === "fraction"
        ? {
            type: "value",
            min: 0,
            max: 1,
            axisLabel: { formatter: (value: number) => `${Math.round(value * 100)}%` },
          }
        : { type: "value", scale: true },
    series: curves.map(({ metric, data }) => ({
      type: "line",
      name: metric.label,
      data,
      showSymbol: true,
      symbolSize: 6,
      lineStyle: { width: 2, type: metric.name.startsWith("val_") ? "solid" : "dashed" },
    })),
  };
}

export interface ConfusionMatrix {
  labels: readonly string[];
  /** Row = true class, column = predicted class. */
  confusionMatrix: ReadonlyArray<readonly number[]>;
}

/** Cells of the matrix as [predicted, true, count], the heatmap's data. */
export function confusionCells(report: ConfusionMatrix): Array<[number, number, number]> {
  return report.confusionMatrix.flatMap((row, truth) =>
    row.map((count, predicted): [number, number, number] => [predicted, truth, count]),
  );
}

/** Counts as a heatmap: true classes down, predicted across, the diagonal is what was right. */
export function confusionMatrixOption(report: ConfusionMatrix, title: string): ChartOption {
  const cells = confusionCells(report);
  const most = Math.max(1, ...cells.map(([, , count]) => count));
  const rowTotals = report.confusionMatrix.map((row) => row.reduce((sum, count) => sum + count, 0));
  const labels = [...report.labels];
  const right = cells
    .filter(([predicted, truth]) => predicted === truth)
    .reduce((sum, [, , count]) => sum + count, 0);
  const total = rowTotals.reduce((sum, count) => sum + count, 0);
  const mistakes = cells
    .filter(([predicted, truth, count]) => predicted !== truth && count > 0)
    .sort((a, b) => b[2] - a[2])
    .slice(0, 3)
    .map(([predicted, truth, count]) => `${count} ${labels[truth]} taken for ${labels[predicted]}`);
  return {
    aria: {
      enabled: true,
      label: {
        description: `${title}. ${right} of ${total} samples classified right${mistakes.length > 0 ? `; most confused: ${mistakes.join(", ")}` : ""}.`,
      },
    },
    grid: { left: 120, right: 24, top: 16, bottom: 96 },
    tooltip: {
      formatter: (params) => {
        const [predicted, truth, count] = (params as unknown as { value: [number, number, number] }).value;
        const total = rowTotals[truth] ?? 0;
        const share = total > 0 ? ` (${formatFraction(count / total)} of ${labels[truth]})` : "";
        return `True ${labels[truth]}, predicted ${labels[predicted]}: ${count}${share}`;
      },
    },
    xAxis: {
      type: "category",
      data: labels,
      name: "Predicted class",
      nameLocation: "middle",
      nameGap: 48,
      axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 },
    },
    yAxis: {
      type: "category",
      data: labels,
      name: "True class",
      nameLocation: "middle",
      nameGap: 96,
      inverse: true,
      axisLabel: { interval: 0 },
    },
    visualMap: {
      min: 0,
      max: most,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ["#f4f6f8", "#8fb3e6", "#1f5fbf"] },
    },
    series: [
      {
        type: "heatmap",
        name: "Samples",
        data: cells,
        label: { show: labels.length <= 20 },
        emphasis: { itemStyle: { borderColor: "#1b1f24", borderWidth: 1 } },
      },
    ],
  };
}

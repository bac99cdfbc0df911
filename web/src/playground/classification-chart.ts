import type { ChartOption } from "../ui/chart";

export interface ScoredLabel {
  label: string;
  score: number;
}

/** A probability as people read it: `87.5%`, and `<0.1%` rather than a misleading `0.0%`. */
export function formatProbability(score: number): string {
  if (!Number.isFinite(score)) return "—";
  if (score > 0 && score < 0.001) return "<0.1%";
  return `${(score * 100).toFixed(1)}%`;
}

/** Pixels the bar chart needs for `count` bars: the bars keep their thickness however many there are. */
export function classificationChartHeight(count: number): number {
  return 48 + Math.max(1, count) * 36;
}

/** What screen readers hear for the chart: the figures themselves, in the chart's order. */
export function classificationChartDescription(predictions: readonly ScoredLabel[]): string {
  const figures = predictions.map(
    (prediction) => `${prediction.label} ${formatProbability(prediction.score)}`,
  );
  return `Probability of the top ${predictions.length} labels: ${figures.join(", ")}`;
}

/**
 * Horizontal bars, best label on top (the server sends the highest score first), on a fixed 0–100 %
 * axis so a confident and an unsure answer look different at a glance.
 */
export function classificationChartOption(predictions: readonly ScoredLabel[]): ChartOption {
  return {
    // ECharts writes its aria description over the container's label; this one names the figures.
    aria: { enabled: true, label: { description: classificationChartDescription(predictions) } },
    grid: { left: 8, right: 64, top: 8, bottom: 28 },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (value) => formatProbability(Number(value)),
    },
    xAxis: {
      type: "value",
      min: 0,
      max: 1,
      axisLabel: { formatter: (value: number) => `${Math.round(value * 100)}%` },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: predictions.map((prediction) => prediction.label),
      axisTick: { show: false },
    },
    series: [
      {
        type: "bar",
        name: "Probability",
        data: predictions.map((prediction) => prediction.score),
        barMaxWidth: 26,
        itemStyle: { color: "#1f5fbf", borderRadius: [0, 4, 4, 0] },
        label: {
          show: true,
          position: "right",
          formatter: (params) => formatProbability(Number(params.value)),
        },
      },
    ],
  };
}

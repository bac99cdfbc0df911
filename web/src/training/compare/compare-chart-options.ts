import type { ChartOption } from "../../ui/chart";
import { formatMetric, metricWord } from "../final-metric";
import { metricAtBest, type ComparedTrial } from "./compared-trials";

/** One colour per compared job, so a job's trials read as a family. */
export const jobColours = [
  "#1f5fbf",
  "#d55e00",
  "#009e73",
  "#cc79a7",
  "#e69f00",
  "#56b4e9",
  "#6b4c9a",
  "#8c6d31",
];

const colourOf = (trial: ComparedTrial) => jobColours[trial.jobIndex % jobColours.length]!;

/** The selected trials' curves of one metric on shared axes. */
export function overlaidCurvesOption(
  trials: readonly ComparedTrial[],
  metric: string,
  title: string,
): ChartOption {
  const drawn = trials.filter((trial) => (trial.curves[metric] ?? []).length > 0);
  return {
    aria: {
      enabled: true,
      label: {
        description: `${title}. ${drawn
          .map(
            (trial) =>
              `${trial.label}: ${formatMetric(metric, trial.curves[metric]!.at(-1)![1])} at epoch ${trial.curves[metric]!.at(-1)![0]}`,
          )
          .join("; ")}.`,
      },
    },
    grid: { left: 56, right: 24, top: 48, bottom: 40 },
    legend: { top: 0, type: "scroll", data: drawn.map((trial) => trial.label) },
    tooltip: { trigger: "axis", valueFormatter: (value) => formatMetric(metric, Number(value)) },
    xAxis: { type: "value", name: "Epoch", nameLocation: "middle", nameGap: 26, min: 1, minInterval: 1 },
    yAxis: metric.endsWith("accuracy")
      ? {
          type: "value",
          min: 0,
          max: 1,
          axisLabel: { formatter: (value: number) => `${Math.round(value * 100)}%` },
        }
      : { type: "value", scale: true },
    series: drawn.map((trial) => ({
      type: "line",
      name: trial.label,
      data: trial.curves[metric],
      showSymbol: false,
      lineStyle: { width: 2, color: colourOf(trial) },
      itemStyle: { color: colourOf(trial) },
    })),
  };
}

export interface ParallelAxis {
  name: string;
  label: string;
  /** Category axes list their values; value axes have none. */
  categories: string[] | null;
}

/** The axes: options that differ among the trials (numbers or categories), then the metrics at the best epoch. */
export function parallelAxes(trials: readonly ComparedTrial[], options: readonly string[]): ParallelAxis[] {
  const optionAxes = options.map((name) => {
    const values = trials.map((trial) => trial.parameters[name]);
    const categorical = values.some((value) => typeof value === "string");
    return {
      name,
      label: name,
      categories: categorical ? [...new Set(values.map((value) => String(value ?? "—")))].sort() : null,
    };
  });
  const metricAxes = ["val_loss", "val_accuracy"].map((name) => ({
    name,
    label: metricWord(name),
    categories: null,
  }));
  return [...optionAxes, ...metricAxes];
}

/** Every trial as a line through the axes, coloured by its job; the selected ones drawn bold. */
export function parallelOption(
  trials: readonly ComparedTrial[],
  axes: readonly ParallelAxis[],
  selected: ReadonlySet<string>,
  title: string,
): ChartOption {
  const valueOf = (trial: ComparedTrial, axis: ParallelAxis) => {
    if (axis.name === "val_loss" || axis.name === "val_accuracy") return metricAtBest(trial, axis.name);
    const value = trial.parameters[axis.name];
    return axis.categories ? String(value ?? "—") : typeof value === "number" ? value : null;
  };
  return {
    aria: {
      enabled: true,
      label: { description: `${title}: ${trials.length} trials across ${axes.length} axes.` },
    },
    parallel: { left: 48, right: 80, top: 40, bottom: 32 },
    parallelAxis: axes.map((axis, dim) => ({
      dim,
      name: axis.label,
      ...(axis.categories
        ? { type: "category" as const, data: axis.categories }
        : { type: "value" as const, scale: true }),
    })),
    tooltip: { trigger: "item" },
    series: [
      {
        type: "parallel",
        name: "Trials",
        data: trials.map((trial) => ({
          name: trial.label,
          value: axes.map((axis) => valueOf(trial, axis)) as Array<number | string>,
          lineStyle: {
            color: colourOf(trial),
            width: selected.has(trial.key) ? 3 : 1,
            opacity: selected.has(trial.key) ? 1 : 0.45,
          },
        })),
      },
    ],
  };
}

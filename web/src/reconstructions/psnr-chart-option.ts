import type { ChartOption } from "../ui/chart";
import type { StepPoint } from "./live-reconstruction";

export const formatPsnr = (value: number | null | undefined) =>
  value === null || value === undefined ? "—" : `${value.toFixed(2)} dB`;

export const formatLoss = (value: number | null | undefined) =>
  value === null || value === undefined ? "—" : value < 0.001 ? value.toExponential(2) : value.toFixed(4);

/**
 * Held-out PSNR (solid, left axis, dB) and batch loss (dashed, right axis, logarithmic) over the
 * steps. The x axis spans the planned steps from the start, so the curves visibly grow toward
 * the end instead of the axis stretching under them.
 */
export function psnrChartOption(
  points: readonly StepPoint[],
  totalSteps: number | null,
  title: string,
): ChartOption {
  const psnr = points.filter((point) => point.psnr !== null).map((point) => [point.step, point.psnr!]);
  // A log axis cannot show 0 or a missing loss.
  const loss = points.filter((point) => (point.loss ?? 0) > 0).map((point) => [point.step, point.loss!]);
  const lastStep = points.at(-1)?.step ?? 1;
  const latestPsnr = psnr.at(-1);
  const latestLoss = loss.at(-1);
  const latest = [
    latestPsnr ? `PSNR ${formatPsnr(latestPsnr[1])} at step ${latestPsnr[0]}` : null,
    latestLoss ? `loss ${formatLoss(latestLoss[1])} at step ${latestLoss[0]}` : null,
  ].filter(Boolean);
  return {
    aria: {
      enabled: true,
      label: {
        description: `${title}. ${latest.length > 0 ? `Latest: ${latest.join(", ")}.` : "No steps yet."}`,
      },
    },
    animationDurationUpdate: 300,
    grid: { left: 56, right: 64, top: 40, bottom: 40 },
    legend: { top: 0, data: ["Held-out PSNR", "Loss"] },
    tooltip: { trigger: "axis" },
    xAxis: {
      type: "value",
      name: "Step",
      nameLocation: "middle",
      nameGap: 26,
      min: 0,
      max: Math.max(totalSteps ?? 1, lastStep),
      minInterval: 1,
    },
    yAxis: [
      { type: "value", name: "dB", scale: true },
      { type: "log", name: "Loss", splitLine: { show: false } },
    ],
    series: [
      {
        type: "line",
        name: "Held-out PSNR",
        data: psnr,
        yAxisIndex: 0,
        showSymbol: psnr.length < 50,
        lineStyle: { width: 2 },
      },
      {
        type: "line",
        name: "Loss",
        data: loss,
        yAxisIndex: 1,
        showSymbol: false,
        lineStyle: { width: 1, type: "dashed" },
      },
    ],
  };
}

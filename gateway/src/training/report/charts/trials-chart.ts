import { element, label, linearScale, muted, niceTicks, num, palette, svgDocument, yAxis } from "./svg";

export interface TrialBar {
  number: number;
  status: string;
  /** The monitored metric at the trial's best epoch; null when it has none. */
  objective: number | null;
}

export interface TrialsChartInput {
  monitor: string;
  trials: TrialBar[];
  /** The trial the result was exported from. */
  best: number | null;
  width?: number;
  height?: number;
}

const margin = { left: 56, right: 16, top: 48, bottom: 44 };

/**
 * One bar per trial: its monitored metric at its best epoch, the exported trial in the accent
 * colour; a trial without a value (failed, pruned at once) is a grey tick on the axis.
 */
export function trialsChart({ monitor, trials, best, width = 640, height = 300 }: TrialsChartInput): string {
  const title = `Trials: ${monitor} at each trial's best epoch`;
  const area = {
    left: margin.left,
    top: margin.top,
    right: width - margin.right,
    bottom: height - margin.bottom,
  };
  const values = trials.flatMap((t) => (t.objective === null ? [] : [t.objective]));
  if (trials.length === 0 || values.length === 0) {
    return svgDocument(
      width,
      height,
      title,
      label(width / 2, height / 2, "No trial has a value", { anchor: "middle", fill: muted }),
    );
  }
  const ticks = niceTicks(Math.min(0, ...values), Math.max(...values), 5);
  const y = linearScale([ticks[0] ?? 0, ticks.at(-1) ?? 1], [area.bottom, area.top]);
  const slot = (area.right - area.left) / trials.length;
  const barWidth = Math.max(2, Math.min(48, slot * 0.7));
  const bars = trials
    .map((trial, index) => {
      const centre = area.left + slot * (index + 0.5);
      const caption =
        trials.length <= 30 || index % Math.ceil(trials.length / 30) === 0
          ? label(centre, area.bottom + 16, String(trial.number), { anchor: "middle", size: 11, fill: muted })
          : "";
      if (trial.objective === null) {
        return (
          element("line", {
            x1: centre - barWidth / 2,
            x2: centre + barWidth / 2,
            y1: area.bottom,
            y2: area.bottom,
            stroke: muted,
            "stroke-width": 3,
            "data-trial": trial.number,
          }) + caption
        );
      }
      const top = y(trial.objective);
      const zero = y(Math.max(0, ticks[0] ?? 0));
      return (
        element("rect", {
          x: centre - barWidth / 2,
          y: Math.min(top, zero),
          width: barWidth,
          height: Math.abs(zero - top),
          fill: trial.number === best ? palette[1]! : palette[0]!,
          "data-trial": trial.number,
          "data-value": num(trial.objective, 6),
        }) + caption
      );
    })
    .join("");
  const body =
    yAxis(area, ticks, y) +
    bars +
    label((area.left + area.right) / 2, height - 8, "trial (exported one highlighted)", {
      anchor: "middle",
      size: 11,
      fill: muted,
    });
  return svgDocument(width, height, title, body);
}

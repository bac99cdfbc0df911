import {
  element,
  label,
  legend,
  linearScale,
  muted,
  niceTicks,
  num,
  palette,
  svgDocument,
  yAxis,
} from "./svg";

export interface LineSeries {
  name: string;
  /** [x, y] in drawing order. */
  points: Array<readonly [number, number]>;
  dashed?: boolean;
}

export interface LineChartInput {
  title: string;
  xLabel: string;
  series: LineSeries[];
  width?: number;
  height?: number;
}

const margin = { left: 56, right: 16, top: 48, bottom: 44 };

/**
 * Curves over epochs (loss, accuracy, …), one polyline per series on shared axes, a dot on every
 * point so a one-epoch run still shows. Empty series are left out of the legend.
 */
export function lineChart({ title, xLabel, series, width = 640, height = 320 }: LineChartInput): string {
  const drawn = series.filter((s) => s.points.length > 0);
  const area = {
    left: margin.left,
    top: margin.top,
    right: width - margin.right,
    bottom: height - margin.bottom,
  };
  if (drawn.length === 0) {
    return svgDocument(
      width,
      height,
      title,
      label(width / 2, height / 2, "No values recorded", { anchor: "middle", fill: muted }),
    );
  }
  const xs = drawn.flatMap((s) => s.points.map(([x]) => x));
  const ys = drawn.flatMap((s) => s.points.map(([, y]) => y));
  const yTicks = niceTicks(Math.min(0, ...ys), Math.max(...ys), 5);
  const yDomain: [number, number] = [yTicks[0] ?? 0, yTicks.at(-1) ?? 1];
  const x = linearScale([Math.min(...xs), Math.max(...xs)], [area.left, area.right]);
  const y = linearScale(yDomain, [area.bottom, area.top]);
  const xTicks = integerTicks(Math.min(...xs), Math.max(...xs));
  const body =
    yAxis(area, yTicks, y) +
    xTicks
      .map((tick) =>
        label(x(tick), area.bottom + 16, String(tick), { anchor: "middle", size: 11, fill: muted }),
      )
      .join("") +
    label((area.left + area.right) / 2, height - 8, xLabel, { anchor: "middle", size: 11, fill: muted }) +
    drawn
      .map((s, index) => {
        const colour = palette[index % palette.length]!;
        const points = s.points.map(([px, py]) => `${num(x(px))},${num(y(py))}`).join(" ");
        return (
          element("polyline", {
            points,
            fill: "none",
            stroke: colour,
            "stroke-width": 2,
            "stroke-dasharray": s.dashed ? "6 4" : undefined,
            "data-series": s.name,
          }) +
          s.points
            .map(([px, py]) => element("circle", { cx: x(px), cy: y(py), r: 2.5, fill: colour }))
            .join("")
        );
      })
      .join("") +
    legend(
      area.left,
      40,
      drawn.map((s, index) => ({ name: s.name, colour: palette[index % palette.length]! })),
    );
  return svgDocument(width, height, title, body);
}

/** Whole-number ticks (epochs, trial numbers), at most about ten. */
export function integerTicks(min: number, max: number): number[] {
  const step = Math.max(1, Math.ceil((max - min + 1) / 10));
  const ticks: number[] = [];
  for (let tick = Math.ceil(min); tick <= max; tick += step) ticks.push(tick);
  return ticks;
}

import type { ChartOption } from "../ui/chart";
import { classColour } from "../playground/segment-colours";
import { rgbCss } from "../playground/turbo-colour-scale";

export interface MapPoint {
  sampleId: string;
  className: string;
  x: number;
  y: number;
}

/** Above this many points a series draws in ECharts' large mode (no per-point hover effects). */
const LARGE_SERIES = 2000;

/**
 * One scatter series per class (so the legend names the colours and can hide a class); each
 * point carries its index into `points` as a third value, which a click reads back.
 */
export function embeddingMapOption(points: readonly MapPoint[], explained: [number, number]): ChartOption {
  const byClass = new Map<string, Array<[number, number, number]>>();
  points.forEach((point, index) => {
    const series = byClass.get(point.className) ?? [];
    series.push([point.x, point.y, index]);
    byClass.set(point.className, series);
  });
  const classes = [...byClass.keys()].sort((a, b) => a.localeCompare(b));
  const axisName = (axis: 0 | 1) => `PC${axis + 1} (${Math.round(explained[axis] * 100)} % of variance)`;
  return {
    animation: false,
    grid: { left: 56, right: 24, top: 48, bottom: 48 },
    legend: { type: "scroll", top: 0, data: classes },
    tooltip: {
      trigger: "item",
      formatter: (params) => {
        const item = Array.isArray(params) ? params[0] : params;
        const index = Array.isArray(item?.value) ? Number(item.value[2]) : -1;
        const point = points[index];
        return point ? `${escapeHtml(point.className)}<br/>Click to open the sample` : "";
      },
    },
    xAxis: {
      type: "value",
      name: axisName(0),
      nameLocation: "middle",
      nameGap: 28,
      scale: true,
      splitLine: { show: false },
    },
    yAxis: {
      type: "value",
      name: axisName(1),
      nameLocation: "middle",
      nameGap: 40,
      scale: true,
      splitLine: { show: false },
    },
    // ECharts' own palette has 9 colours, so a 10th class would look like the 1st: each class gets
    // its own, the playground's class colours (20 picked apart, then golden-angle hues).
    series: classes.map((name, index) => {
      const data = byClass.get(name) ?? [];
      return {
        type: "scatter",
        name,
        data,
        itemStyle: { color: rgbCss(classColour(index)) },
        symbolSize: data.length > LARGE_SERIES ? 4 : 8,
        large: data.length > LARGE_SERIES,
        emphasis: { focus: "series" },
        cursor: "pointer",
      };
    }),
  };
}

/** The index into `points` of a clicked point, from the value the option gave it. */
export function clickedPointIndex(value: unknown): number | null {
  if (!Array.isArray(value) || typeof value[2] !== "number") return null;
  return value[2];
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

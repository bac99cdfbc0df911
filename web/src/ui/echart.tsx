import { BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from "echarts/charts";
import type {
  BarSeriesOption,
  HeatmapSeriesOption,
  LineSeriesOption,
  ParallelSeriesOption,
  ScatterSeriesOption,
} from "echarts/charts";
import {
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import type {
  AriaComponentOption,
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from "echarts/components";
import { init, use as registerChartParts, type ComposeOption, type ECElementEvent } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

// Only what the dashboard draws is registered: this keeps the chart chunk a fraction of all of ECharts.
registerChartParts([
  BarChart,
  HeatmapChart,
  LineChart,
  ParallelChart,
  ScatterChart,
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | HeatmapSeriesOption
  | LineSeriesOption
  | ParallelSeriesOption
  | ScatterSeriesOption
  | AriaComponentOption
  | DataZoomComponentOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

export interface EChartProps {
  option: ChartOption;
  /** What the chart shows, for screen readers (ECharts' aria adds a description of the data). */
  label: string;
  height?: number;
  onPointClick?: (event: ECElementEvent) => void;
}

/**
 * One ECharts instance for the component's life. New options merge into the chart, so a series
 * that grows (a live loss curve) extends instead of redrawing from scratch.
 */
export default function EChart({ option, label, height = 320, onPointClick }: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof init> | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer: "canvas" });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(element);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, ...option }, { lazyUpdate: true });
  }, [option]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance || !onPointClick) return;
    instance.on("click", onPointClick);
    return () => {
      instance.off("click", onPointClick);
    };
  }, [onPointClick]);

  return <div ref={container} className="chart" role="img" aria-label={label} style={{ height }} />;
}

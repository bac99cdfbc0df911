import { lazy, Suspense } from "react";
import type { EChartProps } from "./echart";
import { Skeleton } from "./skeleton";

export type { ChartOption } from "./echart";

const EChart = lazy(() => import("./echart"));

/** A chart whose library loads on first use, so pages without charts never download it. */
export function Chart(props: EChartProps) {
  return (
    <Suspense fallback={<Skeleton lines={4} label={`Loading chart: ${props.label}`} />}>
      <EChart {...props} />
    </Suspense>
  );
}

import { element, label, legend, linearScale, muted, num, palette, svgDocument, yAxis } from "./svg";

export interface ReliabilityBar {
  lower: number;
  upper: number;
  count: number;
  /** Mean confidence of the bin's samples. */
  confidence: number;
  accuracy: number;
}

const margin = { left: 56, right: 16, top: 56, bottom: 44 };

/**
 * A reliability diagram: per confidence bin, the accuracy its samples reached (bars) against the
 * diagonal a calibrated model would follow; the mean confidence of each bin is a dot. Empty bins
 * have no bar.
 */
export function reliabilityChart({
  title,
  bins,
  calibrationError,
  width = 420,
  height = 380,
}: {
  title: string;
  bins: ReliabilityBar[];
  calibrationError: number;
  width?: number;
  height?: number;
}): string {
  const area = {
    left: margin.left,
    top: margin.top,
    right: width - margin.right,
    bottom: height - margin.bottom,
  };
  const x = linearScale([0, 1], [area.left, area.right]);
  const y = linearScale([0, 1], [area.bottom, area.top]);
  const bars = bins
    .filter((bin) => bin.count > 0)
    .map(
      (bin) =>
        element("rect", {
          x: x(bin.lower) + 1,
          y: y(bin.accuracy),
          width: Math.max(1, x(bin.upper) - x(bin.lower) - 2),
          height: area.bottom - y(bin.accuracy),
          fill: palette[0]!,
          "fill-opacity": 0.8,
          "data-bin": `${num(bin.lower, 1)}-${num(bin.upper, 1)}`,
          "data-accuracy": num(bin.accuracy, 6),
          "data-count": bin.count,
        }) +
        element("circle", {
          cx: x((bin.lower + bin.upper) / 2),
          cy: y(bin.confidence),
          r: 3,
          fill: palette[1]!,
        }),
    )
    .join("");
  const body =
    yAxis(area, [0, 0.2, 0.4, 0.6, 0.8, 1], y) +
    [0, 0.2, 0.4, 0.6, 0.8, 1]
      .map((tick) => label(x(tick), area.bottom + 16, num(tick), { anchor: "middle", size: 11, fill: muted }))
      .join("") +
    element("line", { x1: x(0), y1: y(0), x2: x(1), y2: y(1), stroke: muted, "stroke-dasharray": "4 4" }) +
    bars +
    label(
      (area.left + area.right) / 2,
      height - 8,
      `confidence (expected calibration error ${num(calibrationError, 3)})`,
      {
        anchor: "middle",
        size: 11,
        fill: muted,
      },
    ) +
    legend(area.left, 40, [
      { name: "accuracy", colour: palette[0]! },
      { name: "mean confidence", colour: palette[1]! },
    ]);
  return svgDocument(width, height, title, body);
}

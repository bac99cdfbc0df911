import { element, label, legend, linearScale, muted, num, palette, svgDocument, yAxis } from "./svg";

export interface ClassScores {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

const margin = { left: 56, right: 16, top: 56, bottom: 96 };
/** Room for the title and the legend however few the classes. */
const minWidth = 520;
const metrics = ["precision", "recall", "f1"] as const;

/** Precision, recall and F1 side by side for each class, on a 0–1 axis; support under the name. */
export function perClassChart({
  title,
  classes,
  width,
}: {
  title: string;
  classes: ClassScores[];
  width?: number;
}): string {
  const slot = Math.max(36, Math.min(96, Math.floor(600 / Math.max(1, classes.length))));
  const chartWidth = width ?? Math.max(minWidth, margin.left + classes.length * slot + margin.right);
  const height = 320;
  const area = {
    left: margin.left,
    top: margin.top,
    right: chartWidth - margin.right,
    bottom: height - margin.bottom,
  };
  const y = linearScale([0, 1], [area.bottom, area.top]);
  const bar = (slot * 0.8) / metrics.length;
  // Few classes sit in the middle of a chart kept wide for its title.
  const first = area.left + Math.max(0, (area.right - area.left - classes.length * slot) / 2);
  const bars = classes
    .map((scores, index) => {
      const start = first + index * slot + slot * 0.1;
      const centre = first + index * slot + slot / 2;
      const name = scores.label.length > 14 ? `${scores.label.slice(0, 13)}…` : scores.label;
      return (
        metrics
          .map((metric, m) =>
            element("rect", {
              x: start + m * bar,
              y: y(scores[metric]),
              width: Math.max(1, bar - 1),
              height: area.bottom - y(scores[metric]),
              fill: palette[m]!,
              "data-class": scores.label,
              "data-metric": metric,
              "data-value": num(scores[metric], 6),
            }),
          )
          .join("") +
        label(centre, area.bottom + 14, name, { anchor: "end", size: 11, rotate: -40 }) +
        label(first + index * slot + slot - 2, area.top - 4, `n=${scores.support}`, {
          anchor: "end",
          size: 9,
          fill: muted,
        })
      );
    })
    .join("");
  const body =
    yAxis(area, [0, 0.25, 0.5, 0.75, 1], y) +
    bars +
    legend(
      area.left,
      40,
      metrics.map((metric, m) => ({ name: metric === "f1" ? "F1" : metric, colour: palette[m]! })),
    );
  return svgDocument(chartWidth, height, title, body);
}

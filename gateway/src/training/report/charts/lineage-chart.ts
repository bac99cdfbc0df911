import { element, label, muted, palette, svgDocument } from "./svg";

export interface LineageNode {
  /** "dataset version", "base model", "trained version". */
  role: string;
  name: string;
  detail: string;
}

const box = { width: 200, height: 64 };
const gap = 48;

/** Where the trained version came from: dataset version and base model → the result, boxes and arrows. */
export function lineageChart({
  title,
  dataset,
  base,
  result,
}: {
  title: string;
  dataset: LineageNode;
  base: LineageNode;
  result: LineageNode;
}): string {
  const width = 16 * 2 + box.width * 2 + gap;
  const height = 48 + box.height * 2 + 24 + 16;
  const node = (x: number, y: number, entry: LineageNode, colour: string) =>
    element("rect", {
      x,
      y,
      width: box.width,
      height: box.height,
      rx: 6,
      fill: "#ffffff",
      stroke: colour,
      "stroke-width": 2,
    }) +
    label(x + 10, y + 18, entry.role, { size: 10, fill: muted }) +
    label(x + 10, y + 36, clip(entry.name, 28), { size: 12, weight: "bold" }) +
    label(x + 10, y + 54, clip(entry.detail, 32), { size: 10, fill: muted });
  const left = 16;
  const right = 16 + box.width + gap;
  const top = 48;
  const bottom = top + box.height + 24;
  const middle = (top + bottom + box.height) / 2;
  const arrow = (y: number) =>
    element("path", {
      d: `M ${left + box.width} ${y + box.height / 2} C ${right - gap / 2} ${y + box.height / 2}, ${right - gap / 2} ${middle}, ${right} ${middle}`,
      fill: "none",
      stroke: muted,
      "stroke-width": 1.5,
    });
  const body =
    node(left, top, dataset, palette[2]!) +
    node(left, bottom, base, palette[0]!) +
    arrow(top) +
    arrow(bottom) +
    element("path", {
      d: `M ${right - 8} ${middle - 5} L ${right} ${middle} L ${right - 8} ${middle + 5}`,
      fill: "none",
      stroke: muted,
      "stroke-width": 1.5,
    }) +
    node(right, middle - box.height / 2, result, palette[1]!);
  return svgDocument(width, height, title, body);
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

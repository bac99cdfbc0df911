/**
 * The few pieces every report chart is drawn with. Charts are plain SVG text so one builder serves
 * the HTML report (inlined) and the PNGs (rendered by librsvg through sharp): no DOM, no fonts to
 * fetch, nothing external.
 */

/** Fonts librsvg finds on a Debian host and browsers everywhere. */
export const fontFamily = "DejaVu Sans, Arial, Helvetica, sans-serif";

/** Series colours (Okabe–Ito, distinguishable with colour-blindness). */
export const palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442"];

export const ink = "#1f2933";
export const muted = "#6b7785";
export const grid = "#e4e7eb";

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]};`,
  );
}

/** Coordinates and values with at most `digits` decimals and no trailing zeros ("12.5", "3"). */
export function num(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return "0";
  const fixed = value.toFixed(digits);
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

/** Attributes in the given order; undefined ones left out, numbers through num(). */
export function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${typeof value === "number" ? num(value) : escapeXml(value)}"`)
    .join("");
}

export function element(
  name: string,
  values: Record<string, string | number | undefined>,
  children?: string,
): string {
  return children === undefined
    ? `<${name}${attributes(values)}/>`
    : `<${name}${attributes(values)}>${children}</${name}>`;
}

export function label(
  x: number,
  y: number,
  content: string,
  options: {
    size?: number;
    anchor?: "start" | "middle" | "end";
    fill?: string;
    weight?: string;
    rotate?: number;
  } = {},
): string {
  return element(
    "text",
    {
      x,
      y,
      "font-size": options.size ?? 12,
      "text-anchor": options.anchor ?? "start",
      fill: options.fill ?? ink,
      "font-weight": options.weight,
      transform: options.rotate ? `rotate(${options.rotate} ${num(x)} ${num(y)})` : undefined,
    },
    escapeXml(content),
  );
}

/**
 * A standalone SVG document: white background, a title for screen readers and for the PNG's
 * first line. `width` × `height` is its size in CSS pixels.
 */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg"${attributes({ width, height, viewBox: `0 0 ${width} ${height}` })}` +
    ` role="img"${attributes({ "aria-label": title, "font-family": fontFamily })}>` +
    `<title>${escapeXml(title)}</title>` +
    element("rect", { width, height, fill: "#ffffff" }) +
    label(16, 24, title, { size: 15, weight: "bold" }) +
    body +
    `</svg>`
  );
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (value: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0));
}

/**
 * About `count` round tick values (1, 2 or 5 times a power of ten apart) from at or below `min`
 * to at or above `max`, so an axis built on them holds every value.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  return Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toPrecision(12)));
}

/** The plot area inside a chart's margins. */
export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Horizontal grid lines with their values on the left axis. */
export function yAxis(area: PlotArea, ticks: number[], y: (value: number) => number, format = num): string {
  return ticks
    .map(
      (tick) =>
        element("line", { x1: area.left, x2: area.right, y1: y(tick), y2: y(tick), stroke: grid }) +
        label(area.left - 6, y(tick) + 4, format(tick), { anchor: "end", size: 11, fill: muted }),
    )
    .join("");
}

/** A legend row of coloured squares and names, starting at (x, y). */
export function legend(x: number, y: number, entries: Array<{ name: string; colour: string }>): string {
  let offset = x;
  return entries
    .map((entry) => {
      const item =
        element("rect", { x: offset, y: y - 9, width: 10, height: 10, fill: entry.colour }) +
        label(offset + 14, y, entry.name, { size: 11 });
      offset += 24 + entry.name.length * 7;
      return item;
    })
    .join("");
}

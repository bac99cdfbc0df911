import { element, escapeXml, label, muted, svgDocument } from "./svg";

export interface Thumbnail {
  /** A data: URI (JPEG or PNG: what librsvg draws); null draws an empty frame. */
  href: string | null;
  caption: string;
  detail: string;
}

const tile = 96;
const gap = 12;
const captionHeight = 30;

/** A grid of thumbnails with two caption lines each ("true → predicted", the confidence). */
export function thumbnailSheet({
  title,
  items,
  columns = 6,
}: {
  title: string;
  items: Thumbnail[];
  columns?: number;
}): string {
  const perRow = Math.max(1, Math.min(columns, items.length || 1));
  const rows = Math.max(1, Math.ceil(items.length / perRow));
  // Wide enough for the title with a single thumbnail.
  const width = Math.max(360, 16 * 2 + perRow * tile + (perRow - 1) * gap);
  const height = 48 + rows * (tile + captionHeight + gap);
  if (items.length === 0) {
    return svgDocument(width, 96, title, label(16, 64, "No misclassified samples", { fill: muted }));
  }
  const body = items
    .map((item, index) => {
      const x = 16 + (index % perRow) * (tile + gap);
      const y = 44 + Math.floor(index / perRow) * (tile + captionHeight + gap);
      const picture = item.href
        ? `<image x="${x}" y="${y}" width="${tile}" height="${tile}" preserveAspectRatio="xMidYMid meet" href="${escapeXml(item.href)}"/>`
        : "";
      return (
        element("rect", { x, y, width: tile, height: tile, fill: "#f5f7fa", stroke: "#d9dee4" }) +
        picture +
        label(x, y + tile + 12, clip(item.caption), { size: 10 }) +
        label(x, y + tile + 24, clip(item.detail), { size: 10, fill: muted })
      );
    })
    .join("");
  return svgDocument(width, height, title, body);
}

/** About what fits under a tile at 10 px. */
function clip(text: string): string {
  return text.length > 18 ? `${text.slice(0, 17)}…` : text;
}

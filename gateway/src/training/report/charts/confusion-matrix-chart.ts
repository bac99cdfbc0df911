import { element, label, muted, svgDocument } from "./svg";

export interface ConfusionMatrixInput {
  title: string;
  labels: string[];
  /** Rows = true class, columns = predicted class. */
  matrix: number[][];
  /** Largest cell side; the chart shrinks cells for many classes. */
  maxCell?: number;
}

const margin = { left: 120, top: 64, right: 16, bottom: 110 };
/** Room for the title and the legend however few the classes. */
const minWidth = 520;

/** The fill of a cell holding `share` of its row: white to blue for the diagonal, to red elsewhere. */
export function cellColour(share: number, diagonal: boolean): string {
  const t = Math.max(0, Math.min(1, share));
  const [r, g, b] = diagonal ? [0, 114, 178] : [213, 94, 0];
  const mix = (channel: number) => Math.round(255 + (channel - 255) * t);
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
}

/**
 * A cell per (true, predicted) pair with its count, shaded by its share of the row (the true
 * class): rows are recall at a glance. Each cell carries data-actual/data-predicted so the HTML
 * report and tests can find it.
 */
export function confusionMatrixChart({ title, labels, matrix, maxCell = 56 }: ConfusionMatrixInput): string {
  const n = labels.length;
  const cell = Math.max(14, Math.min(maxCell, Math.floor(560 / Math.max(1, n))));
  const width = Math.max(minWidth, margin.left + n * cell + margin.right);
  const height = margin.top + n * cell + margin.bottom;
  const fontSize = Math.max(8, Math.min(13, cell / 3));
  const name = (text: string) => (text.length > 16 ? `${text.slice(0, 15)}…` : text);
  const cells = matrix
    .map((row, r) => {
      const total = row.reduce((sum, value) => sum + value, 0);
      return row
        .map((count, c) => {
          const share = total > 0 ? count / total : 0;
          const x = margin.left + c * cell;
          const y = margin.top + r * cell;
          return (
            element("rect", {
              x,
              y,
              width: cell,
              height: cell,
              fill: cellColour(share, r === c),
              stroke: "#ffffff",
              "data-actual": labels[r],
              "data-predicted": labels[c],
              "data-count": count,
            }) +
            (cell >= 20
              ? label(x + cell / 2, y + cell / 2 + fontSize / 3, String(count), {
                  anchor: "middle",
                  size: fontSize,
                  fill: share > 0.6 ? "#ffffff" : "#1f2933",
                })
              : "")
          );
        })
        .join("");
    })
    .join("");
  const rowNames = labels
    .map((text, r) =>
      label(margin.left - 6, margin.top + r * cell + cell / 2 + 4, name(text), { anchor: "end", size: 11 }),
    )
    .join("");
  const columnNames = labels
    .map((text, c) => {
      const x = margin.left + c * cell + cell / 2;
      const y = margin.top + n * cell + 10;
      return label(x, y, name(text), { anchor: "end", size: 11, rotate: -45 });
    })
    .join("");
  const body =
    cells +
    rowNames +
    columnNames +
    label(margin.left - 6, margin.top - 8, "true ↓ / predicted →", { anchor: "end", size: 11, fill: muted }) +
    label(16, 42, "shade: share of the true class (blue: right, orange: confused with another)", {
      size: 10,
      fill: muted,
    });
  return svgDocument(width, height, title, body);
}

export const MiB = 1024 * 1024;

export function mibPerSecond(bytes: number, seconds: number): number {
  return bytes / MiB / seconds;
}

/** Three significant digits at most, never scientific notation: 0.0123, 4.56, 789, 12345. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return String(Math.round(value));
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** A measured figure as it appears in tables and ratio lines: "410 MiB/s". */
export interface Figure {
  label: string;
  value: number;
  unit: string;
}

export function formatFigure(figure: Figure): string {
  return `${figure.label} ${formatNumber(figure.value)} ${figure.unit}`;
}

/** A figure against its baseline, both measured in the same run; higher is better for both. */
export interface Ratio {
  /** `<bench>.<part>`, e.g. "registry.transfer". */
  name: string;
  subject: Figure;
  baseline: Figure;
  /** The ratio the product aims for, when there is one. */
  aim?: number;
  /** Extra context for the same line, e.g. "7 SQL statements per request". */
  note?: string;
}

/** `ratio registry.transfer: 0.62 (gateway 410 MiB/s vs fs copy 660 MiB/s; aim ≥ 0.5)` */
export function formatRatio(ratio: Ratio): string {
  const value = (ratio.subject.value / ratio.baseline.value).toFixed(2);
  const details = [`${formatFigure(ratio.subject)} vs ${formatFigure(ratio.baseline)}`];
  if (ratio.note) details.push(ratio.note);
  if (ratio.aim !== undefined) details.push(`aim ≥ ${ratio.aim}`);
  return `ratio ${ratio.name}: ${value} (${details.join("; ")})`;
}

/**
 * Prints a titled table: the first column left-aligned (labels), the others right-aligned
 * (figures), so columns of numbers line up on their last digit.
 */
export function printTable(title: string, header: readonly string[], rows: ReadonlyArray<readonly string[]>) {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)))
      .join("  ")
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((width) => "─".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
}

import { isHiddenPath, isMacOsMetadata } from "../../archives/entry-path";
import { badInput } from "../../errors";
import { limits } from "../../limits";
import { skipReasons, type ArchiveLayout, type LayoutSkip } from "../ingest/archive-layout";
import type { CsvRow } from "./csv-mapping";

export const csvSkipReasons = {
  notListed: "not listed in the CSV",
  notInArchive: (line: number) => `line ${line} of the CSV names this file, which is not in the archive`,
} as const;

/** The archive files the CSV maps to classes, each with the row that mapped it. */
export interface CsvLayout<Entry> extends ArchiveLayout<Entry> {
  rowByPath: Map<string, CsvRow>;
}

/**
 * Pairs CSV rows with archive entries. A row's path is looked up as written, then inside the
 * archive's single top-level folder when every file sits in one (someone zipped the folder that
 * holds the images). Rows whose file is missing are skipped with their line; archive files no row
 * names are skipped as not listed, except macOS metadata and hidden files, which say what they are.
 */
export function planCsvLayout<Entry extends { path: string }>(
  rows: readonly CsvRow[],
  entries: readonly Entry[],
): CsvLayout<Entry> {
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const wrapper = singleTopFolder(entries);
  const files: ArchiveLayout<Entry>["files"] = [];
  const skipped: LayoutSkip[] = [];
  const rowByPath = new Map<string, CsvRow>();
  for (const row of rows) {
    const className = row.label.trim();
    if (className.length > limits.classNameLength) {
      throw badInput(
        `Line ${row.line} of the CSV has a label of ${className.length} characters; at most ${limits.classNameLength} are allowed`,
        { line: row.line },
      );
    }
    const entry = byPath.get(row.path) ?? (wrapper ? byPath.get(`${wrapper}/${row.path}`) : undefined);
    if (!entry) {
      skipped.push({ path: row.path, reason: csvSkipReasons.notInArchive(row.line) });
      continue;
    }
    if (rowByPath.has(entry.path)) {
      const first = rowByPath.get(entry.path)!.line;
      throw badInput(
        `Line ${row.line} repeats the file "${entry.path}" of line ${first}; each file may be listed once`,
        { lines: [first, row.line], path: entry.path },
      );
    }
    rowByPath.set(entry.path, row);
    files.push({ entry, path: entry.path, className });
  }
  for (const entry of entries) {
    if (rowByPath.has(entry.path)) continue;
    const reason = isMacOsMetadata(entry.path)
      ? skipReasons.macOsMetadata
      : isHiddenPath(entry.path)
        ? skipReasons.hidden
        : csvSkipReasons.notListed;
    skipped.push({ path: entry.path, reason });
  }
  return { files, skipped, rowByPath };
}

function singleTopFolder(entries: readonly { path: string }[]): string | null {
  const first = entries[0]?.path.split("/")[0];
  if (!first || !entries.every((entry) => entry.path.startsWith(`${first}/`))) return null;
  return first;
}

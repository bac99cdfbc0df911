import { isUtf8 } from "node:buffer";
import { pipeline, Transform, type Readable, type TransformCallback } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { badInput } from "../../errors";
import { unlabeledFolder, unlabeledSplit } from "../pool/unlabeled-pool";

export const datasetSplits = ["train", "validation", "test"] as const;
export type DatasetSplit = (typeof datasetSplits)[number];

/** One data row of the CSV: which file, its label, and what else the row said about it. */
export interface CsvRow {
  /** 1-based line of the file where the row starts (the header is line 1). */
  line: number;
  /** Relative to the archive: forward slashes, NFC, no `./` or empty segments. */
  path: string;
  /** `_unlabeled` (unlabeledFolder) for a row of the unlabeled pool. */
  label: string;
  split: DatasetSplit | null;
  /** Every column other than path, label and split, as strings; null when there are none. */
  metadata: Record<string, string> | null;
}

const requiredColumns = ["path", "label"] as const;
const utf16Bom = Buffer.from([0xff, 0xfe]);
const utf8Bom = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Reads a CSV mapping (RFC 4180: quoted fields may hold commas, quotes and line breaks) from a
 * stream. The header names the columns; `path` and `label` are required, `split` is optional and
 * any other column becomes metadata. Column names are matched case-insensitively after trimming.
 * A row whose split is `unlabeled` is an image of the unlabeled pool: its label stays empty (or
 * `_unlabeled`, as the ZIP folder is called); it gets no split of its own.
 *
 * The parser hands over raw bytes (`encoding: null`) so that each field can be checked as UTF-8
 * and a bad byte reported with its line, instead of being silently decoded to U+FFFD.
 * Errors name the line: missing columns, bad encoding or a NUL byte (with the column), malformed
 * quoting, a wrong number of fields, an empty path or label, an unknown split and the same path
 * listed twice.
 */
export async function readCsvMapping(stream: Readable, maxRows: number): Promise<CsvRow[]> {
  const parser = parse({ encoding: null, bom: false, info: true, skip_empty_lines: true });
  // An error anywhere destroys the parser with it, which ends the loop below with that error.
  pipeline(stream, stripUtf8Bom(), parser, () => {});
  const rows: CsvRow[] = [];
  const firstLineOf = new Map<string, number>();
  let columns: string[] | null = null;
  let previousEnd = 0;
  let previousEmpty = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Buffer[]; info: RecordInfo }>) {
      const line = previousEnd + (info.empty_lines - previousEmpty) + 1;
      previousEnd = info.lines;
      previousEmpty = info.empty_lines;
      const fields = record.map((field, index) => decodeField(field, line, index, columns));
      if (!columns) {
        columns = checkHeader(fields);
        continue;
      }
      if (rows.length >= maxRows) {
        throw badInput(
          `The CSV lists more than ${maxRows} rows (line ${line}); split it into several uploads`,
        );
      }
      const row = toRow(columns, fields, line);
      const first = firstLineOf.get(row.path);
      if (first !== undefined) {
        throw badInput(
          `Line ${line} repeats the path "${row.path}" of line ${first}; each file may be listed once`,
          { lines: [first, line], path: row.path },
        );
      }
      firstLineOf.set(row.path, line);
      rows.push(row);
    }
  } catch (error) {
    parser.destroy();
    if (error instanceof CsvError) {
      const at = (error as CsvError & { lines?: number }).lines;
      throw badInput(`The CSV is malformed at line ${at ?? "?"}: ${error.message}`, { line: at });
    }
    throw error;
  }
  if (!columns) throw badInput("The CSV is empty: expected a header line with at least `path,label`");
  if (rows.length === 0) throw badInput("The CSV has a header but no rows: expected one row per image");
  return rows;
}

interface RecordInfo {
  lines: number;
  empty_lines: number;
}

function decodeField(field: Buffer, line: number, index: number, columns: string[] | null): string {
  if (!isUtf8(field)) {
    throw badInput(`Line ${line} of the CSV is not valid UTF-8: save the file as UTF-8 and upload it again`, {
      line,
    });
  }
  // Valid UTF-8, yet no text column of the database can hold it.
  if (field.includes(0)) {
    const name = columns?.[index];
    throw badInput(
      `Line ${line} of the CSV has a NUL byte (U+0000) in column ${index + 1}${name ? ` ("${name}")` : ""}`,
      { line, column: index + 1 },
    );
  }
  return field.toString("utf8");
}

function checkHeader(fields: string[]): string[] {
  const columns = fields.map((name) => name.trim().toLowerCase());
  const missing = requiredColumns.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    throw badInput(
      `Line 1 of the CSV must name the columns ${requiredColumns.join(" and ")}; missing: ${missing.join(", ")} ` +
        `(found: ${fields.map((f) => JSON.stringify(f)).join(", ")})`,
      { line: 1, missingColumns: missing },
    );
  }
  const repeated = columns.find((name, index) => columns.indexOf(name) !== index);
  if (repeated !== undefined) {
    throw badInput(`Line 1 of the CSV names the column "${repeated}" twice`, { line: 1 });
  }
  return columns;
}

function toRow(columns: string[], fields: string[], line: number): CsvRow {
  const value = (name: string) => fields[columns.indexOf(name)]?.trim() ?? "";
  const path = normalizeCsvPath(value("path"));
  const label = value("label");
  if (!path) throw badInput(`Line ${line} of the CSV has an empty path`, { line });
  const rawSplit = columns.includes("split") ? value("split").toLowerCase() : "";
  const metadataColumns = columns.filter((name) => !["path", "label", "split"].includes(name));
  const metadata =
    metadataColumns.length === 0
      ? null
      : Object.fromEntries(metadataColumns.map((name) => [name, fields[columns.indexOf(name)] ?? ""]));
  if (rawSplit === unlabeledSplit) {
    if (label && label !== unlabeledFolder) {
      throw badInput(
        `Line ${line} of the CSV has the split "${unlabeledSplit}" and the label "${label}"; ` +
          `an unlabeled image has no label: leave it empty`,
        { line },
      );
    }
    return { line, path, label: unlabeledFolder, split: null, metadata };
  }
  if (!label) {
    throw badInput(
      `Line ${line} of the CSV has an empty label for "${path}" (an unlabeled image has the split "${unlabeledSplit}")`,
      { line },
    );
  }
  if (rawSplit && !(datasetSplits as readonly string[]).includes(rawSplit)) {
    throw badInput(
      `Line ${line} of the CSV has the split "${value("split")}"; expected ${datasetSplits.join(", ")}, ` +
        `${unlabeledSplit} or empty`,
      { line },
    );
  }
  return { line, path, label, split: (rawSplit || null) as DatasetSplit | null, metadata };
}

/** The spelling archive entries get (see normalizeEntryPath), so the two compare equal. */
function normalizeCsvPath(raw: string): string {
  const segments = raw.replace(/\\/g, "/").split("/");
  return segments
    .filter((segment, index) => segment !== "." && (segment !== "" || index === 0))
    .join("/")
    .normalize("NFC");
}

/**
 * Drops a UTF-8 byte-order mark (Excel writes one) and refuses UTF-16, which the parser cannot
 * read byte-wise; done here because the parser's own BOM handling switches it to decoded strings.
 */
function stripUtf8Bom(): Transform {
  let head: Buffer | null = Buffer.alloc(0);
  const release = (self: Transform, callback: TransformCallback) => {
    const bytes = head!;
    head = null;
    if (bytes.subarray(0, 2).equals(utf16Bom) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      callback(
        badInput("Line 1 of the CSV is not valid UTF-8 (the file is UTF-16): save it as UTF-8", { line: 1 }),
      );
      return;
    }
    self.push(bytes.subarray(0, 3).equals(utf8Bom) ? bytes.subarray(3) : bytes);
    callback();
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (head === null) return callback(null, chunk);
      head = Buffer.concat([head, chunk]);
      if (head.length < 3) return callback();
      release(this, callback);
    },
    flush(callback) {
      if (head === null) return callback();
      release(this, callback);
    },
  });
}

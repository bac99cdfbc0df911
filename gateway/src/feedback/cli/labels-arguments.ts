import { parse } from "csv-parse/sync";
import { limits } from "../../limits";
import {
  commandWord,
  connectionFlags,
  connectionOf,
  parseFlags,
  requireFlags,
  UsageError,
  type Connection,
} from "../../cli/command-line";

export interface LabelEntry {
  itemId: string;
  label: string;
}

export interface SubmitCommand extends Connection {
  json: boolean;
  batchId: string;
  file: string;
}

export type ParsedSubmit = { kind: "help" } | { kind: "submit"; command: SubmitCommand };

const flags = { ...connectionFlags, batch: { type: "string" }, file: { type: "string" } } as const;

/** `argv` is what follows `npm run labels --`. */
export function parseLabelsArguments(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ParsedSubmit {
  const { values, positionals } = parseFlags(argv, flags);
  if (values.help) return { kind: "help" };
  commandWord(positionals, "submit", "labels");
  requireFlags(values, ["batch", "file"]);
  return {
    kind: "submit",
    command: {
      ...connectionOf(values.url, env),
      json: values.json === true,
      batchId: values.batch!,
      file: values.file!,
    },
  };
}

/**
 * A CSV of `itemId,label` rows (RFC 4180 quoting; a first row `itemId,label` is a header; blank
 * lines are skipped). Refused as bad usage, naming the line: a row without both fields, or more
 * rows than a batch holds.
 */
export function parseLabelsCsv(text: string, file: string): LabelEntry[] {
  let rows: string[][];
  try {
    rows = parse(text, {
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      bom: true,
      record_delimiter: ["\r\n", "\n", "\r"],
    });
  } catch (error) {
    throw new UsageError(`${file} is not a CSV file: ${(error as Error).message}`);
  }
  const header = rows[0]?.map((cell) => cell.toLowerCase());
  const first = header?.[0] === "itemid" && header[1] === "label" ? 1 : 0;
  const entries = rows.slice(first).map((row, index) => {
    const [itemId, label, ...extra] = row;
    if (!itemId || !label || extra.some((cell) => cell !== "")) {
      throw new UsageError(
        `${file} row ${index + first + 1}: expected "itemId,label", got "${row.join(",")}"`,
      );
    }
    return { itemId, label };
  });
  if (entries.length === 0) throw new UsageError(`${file} has no itemId,label rows`);
  if (entries.length > limits.labeling.batchSize) {
    throw new UsageError(
      `${file} has ${entries.length} rows; a batch holds at most ${limits.labeling.batchSize}`,
    );
  }
  return entries;
}

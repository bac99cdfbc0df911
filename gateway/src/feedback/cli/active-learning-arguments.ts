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

const strategies = ["LEAST_CONFIDENCE", "MARGIN", "ENTROPY", "RANDOM"] as const;
const diversities = ["NONE", "KCENTER", "CLUSTER"] as const;

/** The API's LabelingBatchInput as the command line sets it; the gateway defaults the rest. */
export interface SelectInput {
  modelVersionId: string;
  pool: { datasetVersionId: string } | { predictionsOf: string };
  size: number;
  strategy?: (typeof strategies)[number];
  diversity?: (typeof diversities)[number];
  randomShare?: number;
  seed?: number;
  targetDatasetId?: string;
}

export interface SelectCommand extends Connection {
  json: boolean;
  input: SelectInput;
}

export type ParsedSelect = { kind: "help" } | { kind: "select"; command: SelectCommand };

const flags = {
  ...connectionFlags,
  model: { type: "string" },
  pool: { type: "string" },
  count: { type: "string" },
  strategy: { type: "string" },
  diversity: { type: "string" },
  "random-share": { type: "string" },
  seed: { type: "string" },
  "target-dataset": { type: "string" },
} as const;

/** `argv` is what follows `npm run active-learning --`. */
export function parseActiveLearningArguments(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): ParsedSelect {
  const { values, positionals } = parseFlags(argv, flags);
  if (values.help) return { kind: "help" };
  commandWord(positionals, "select", "active-learning");
  requireFlags(values, ["model", "pool", "count"]);
  const pool = poolOf(values.pool!);
  if (values["target-dataset"] && "datasetVersionId" in pool) {
    throw new UsageError("--target-dataset applies to a predictions:<modelVersionId> pool");
  }
  const input: SelectInput = {
    modelVersionId: values.model!,
    pool,
    size: wholeNumber("count", values.count!, 1, limits.labeling.batchSize),
  };
  const optional = {
    strategy: oneOf("strategy", values.strategy, strategies),
    diversity: oneOf("diversity", values.diversity, diversities),
    randomShare: share(values["random-share"]),
    seed: values.seed === undefined ? undefined : wholeNumber("seed", values.seed, -(2 ** 31), 2 ** 31 - 1),
    targetDatasetId: values["target-dataset"],
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(input, { [key]: value });
  }
  return { kind: "select", command: { ...connectionOf(values.url, env), json: values.json === true, input } };
}

/** `<datasetVersionId>` or `predictions:<modelVersionId>`. */
function poolOf(text: string): SelectInput["pool"] {
  const match = /^predictions:(.*)$/.exec(text);
  if (!match) return { datasetVersionId: text };
  if (!match[1])
    throw new UsageError('--pool predictions: needs the model version id, e.g. "predictions:<id>"');
  return { predictionsOf: match[1] };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} expects a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function share(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !(value >= 0 && value <= 1)) {
    throw new UsageError(`--random-share expects a number from 0 to 1, got "${text}"`);
  }
  return value;
}

function oneOf<T extends string>(
  flag: string,
  text: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (text === undefined) return undefined;
  const upper = text.toUpperCase().replace(/-/g, "_") as T;
  if (!choices.includes(upper))
    throw new UsageError(`--${flag} expects ${choices.join(", ")}, got "${text}"`);
  return upper;
}

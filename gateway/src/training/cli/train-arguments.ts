import {
  connectionFlags,
  connectionOf,
  parseFlags,
  requireFlags,
  UsageError,
  type Connection,
  type Env,
} from "../../cli/command-line";

export { UsageError };

export type SearchStrategy = "GRID" | "RANDOM" | "BAYESIAN";
const strategies: readonly SearchStrategy[] = ["GRID", "RANDOM", "BAYESIAN"];

/** The fields of the API's TrainingInput the command line sets; the gateway defaults the rest. */
export interface TrainingInputFields {
  datasetVersionId: string;
  baseModelVersionId: string;
  targetModelSlug: string;
  epochs?: number;
  learningRate?: number;
  batchSize?: number;
  validationSplit?: number;
  seed?: number;
  enableDataAugmentation?: boolean;
  enableHyperparameterTuning?: boolean;
  strategy?: SearchStrategy;
  maxTrials?: number;
}

export interface TrainCommand extends Connection {
  json: boolean;
  input: TrainingInputFields;
}

export type ParsedCommandLine = { kind: "help" } | { kind: "train"; command: TrainCommand };

const flags = {
  dataset: { type: "string" },
  model: { type: "string" },
  target: { type: "string" },
  epochs: { type: "string" },
  "learning-rate": { type: "string" },
  "batch-size": { type: "string" },
  "validation-split": { type: "string" },
  seed: { type: "string" },
  augment: { type: "boolean" },
  "optimize-hyperparams": { type: "boolean" },
  strategy: { type: "string" },
  "max-trials": { type: "string" },
  ...connectionFlags,
} as const;

/** `argv` is what follows `npm run train --`; the token and default URL come from `env`. */
export function parseTrainArguments(argv: readonly string[], env: Env): ParsedCommandLine {
  const { values } = parseFlags(argv, flags, false);
  if (values.help) return { kind: "help" };

  requireFlags(values, ["dataset", "model", "target"]);
  const searching = values["optimize-hyperparams"] === true;
  for (const name of ["strategy", "max-trials"] as const) {
    if (values[name] !== undefined && !searching) {
      throw new UsageError(`--${name} applies to a hyperparameter search: add --optimize-hyperparams`);
    }
  }

  const input: TrainingInputFields = {
    datasetVersionId: values.dataset!,
    baseModelVersionId: values.model!,
    targetModelSlug: values.target!,
  };
  const optional = {
    epochs: count("epochs", values.epochs),
    learningRate: positive("learning-rate", values["learning-rate"]),
    batchSize: count("batch-size", values["batch-size"]),
    validationSplit: fraction("validation-split", values["validation-split"]),
    seed: integer("seed", values.seed),
    enableDataAugmentation: values.augment,
    enableHyperparameterTuning: searching || undefined,
    strategy: strategy(values.strategy),
    maxTrials: count("max-trials", values["max-trials"]),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(input, { [key]: value });
  }
  return { kind: "train", command: { ...connectionOf(values.url, env), json: values.json === true, input } };
}

function number(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new UsageError(`--${flag} expects a number, got "${text}"`);
  }
  return value;
}

function integer(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = number(flag, text);
  if (!Number.isInteger(value)) throw new UsageError(`--${flag} expects a whole number, got "${text}"`);
  return value;
}

function count(flag: string, text: string | undefined): number | undefined {
  const value = integer(flag, text);
  if (value !== undefined && value < 1) throw new UsageError(`--${flag} expects 1 or more, got ${value}`);
  return value;
}

function positive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = number(flag, text);
  if (value <= 0) throw new UsageError(`--${flag} expects a number above 0, got ${text}`);
  return value;
}

function fraction(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = number(flag, text);
  if (value <= 0 || value >= 1)
    throw new UsageError(`--${flag} expects a number between 0 and 1, got ${text}`);
  return value;
}

function strategy(text: string | undefined): SearchStrategy | undefined {
  if (text === undefined) return undefined;
  const upper = text.toUpperCase() as SearchStrategy;
  if (!strategies.includes(upper)) {
    throw new UsageError(`--strategy expects ${strategies.join(", ")}, got "${text}"`);
  }
  return upper;
}

import { parseArgs } from "node:util";
import { loadConfig } from "../../config";

/** A command line the CLI refuses before sending anything (exit code 2). */
export class UsageError extends Error {}

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

export interface TrainCommand {
  /** The gateway's base URL, without a trailing slash or `/graphql`. */
  url: string;
  token: string;
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
  url: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Env = Record<string, string | undefined>;

/** `argv` is what follows `npm run train --`; the token and default URL come from `env`. */
export function parseTrainArguments(argv: readonly string[], env: Env): ParsedCommandLine {
  const values = parseFlags(argv);
  if (values.help) return { kind: "help" };

  const missing = (["dataset", "model", "target"] as const).filter((name) => !values[name]);
  if (missing.length > 0) {
    throw new UsageError(`Missing ${missing.map((name) => `--${name}`).join(", ")}`);
  }
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
  const url = gatewayUrl(values.url, env);
  const token = env.TESSERA_TOKEN?.trim();
  if (!token) {
    throw new UsageError(
      "Set TESSERA_TOKEN to an API token of yours (the gateway refuses requests without one)",
    );
  }
  return { kind: "train", command: { url, token, json: values.json === true, input } };
}

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: flags, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // parseArgs says which argument it could not place ("Unknown option '--epoch'", …).
    throw new UsageError((error as Error).message);
  }
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

/** --url, else TESSERA_URL, else the gateway on this machine at PORT (as `npm start` runs it). */
function gatewayUrl(flag: string | undefined, env: Env): string {
  const text = flag ?? (env.TESSERA_URL?.trim() || `http://127.0.0.1:${localGatewayPort(env)}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url expects an http(s) URL such as http://127.0.0.1:4000, got "${text}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--url expects an http(s) URL, got "${text}"`);
  }
  return url.href.replace(/\/+$/, "").replace(/\/graphql$/, "");
}

function localGatewayPort(env: Env): number {
  try {
    return loadConfig({ PORT: env.PORT }).port;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; or give --url`);
  }
}

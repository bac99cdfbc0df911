import { parseArgs, type ParseArgsConfig } from "node:util";
import { loadConfig } from "../config";

/** A command line the CLI refuses before sending anything (exit code 2). */
export class UsageError extends Error {}

export type Env = Record<string, string | undefined>;

/** Where the CLIs (train, active-learning, labels, monitor) send their requests, and as whom. */
export interface Connection {
  /** The gateway's base URL, without a trailing slash or `/graphql`. */
  url: string;
  token: string;
}

/** The flags every CLI command takes besides its own. */
export const connectionFlags = {
  url: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** parseArgs, strict; its complaints ("Unknown option '--cout'") become usage errors. */
export function parseFlags<Options extends NonNullable<ParseArgsConfig["options"]>>(
  argv: readonly string[],
  options: Options,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** --url, else TESSERA_URL, else the gateway on this machine at PORT; the token from TESSERA_TOKEN. */
export function connectionOf(urlFlag: string | undefined, env: Env): Connection {
  const text = urlFlag ?? (env.TESSERA_URL?.trim() || `http://127.0.0.1:${localPort(env)}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url expects an http(s) URL such as http://127.0.0.1:4000, got "${text}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--url expects an http(s) URL, got "${text}"`);
  }
  const token = env.TESSERA_TOKEN?.trim();
  if (!token) {
    throw new UsageError(
      "Set TESSERA_TOKEN to an API token of yours (the gateway refuses requests without one)",
    );
  }
  return { url: url.href.replace(/\/+$/, "").replace(/\/graphql$/, ""), token };
}

function localPort(env: Env): number {
  try {
    return loadConfig({ PORT: env.PORT }).port;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; or give --url`);
  }
}

/** Refuses a command line without each of these flags, naming every one missing. */
export function requireFlags(values: Readonly<Record<string, unknown>>, names: readonly string[]): void {
  const missing = names.filter((name) => !values[name]);
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map((name) => `--${name}`).join(", ")}`);
}

/** The one positional word naming the command (`select`, `submit`). */
export function commandWord(positionals: readonly string[], expected: string, program: string): void {
  if (positionals.length === 0)
    throw new UsageError(`Missing the command: npm run ${program} -- ${expected} …`);
  const [word, ...rest] = positionals;
  if (word !== expected) throw new UsageError(`Unknown command "${word}"; the command is ${expected}`);
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}"`);
}

import {
  connectionFlags,
  connectionOf,
  parseFlags,
  UsageError,
  type Connection,
} from "../../cli/command-line";

export interface MonitorCommand {
  connection: Connection;
  policyId: string;
  /** How often the policy is read again. */
  intervalMs: number;
  /** Past evaluations printed before the live ones. */
  history: number;
  json: boolean;
}

export type ParsedMonitorLine = { kind: "help" } | { kind: "monitor"; command: MonitorCommand };

const flags = {
  ...connectionFlags,
  policy: { type: "string" },
  interval: { type: "string" },
  history: { type: "string" },
} as const;

type Env = Record<string, string | undefined>;

/** `argv` is what follows `npm run monitor --`; the token and default URL come from `env`. */
export function parseMonitorArguments(argv: readonly string[], env: Env): ParsedMonitorLine {
  const { values, positionals } = parseFlags(argv, flags);
  if (values.help) return { kind: "help" };
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}"`);
  if (!values.policy) throw new UsageError("Missing --policy <id>");
  return {
    kind: "monitor",
    command: {
      connection: connectionOf(values.url, env),
      policyId: values.policy,
      intervalMs: seconds("interval", values.interval ?? "2") * 1000,
      history: whole("history", values.history ?? "5"),
      json: values.json === true,
    },
  };
}

function seconds(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0.5 || value > 3600) {
    throw new UsageError(`--${flag} expects seconds from 0.5 to 3600, got "${text}"`);
  }
  return value;
}

function whole(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 50) {
    throw new UsageError(`--${flag} expects a whole number from 0 to 50, got "${text}"`);
  }
  return value;
}

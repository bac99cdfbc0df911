import pino from "pino";
import { traceLogFields } from "@tessera/tracing";

export type Logger = pino.Logger;

/** A pino level name, or "silent" for none. */
export type LogLevel = pino.LevelWithSilent;

export interface LoggerOptions {
  level: LogLevel;
  /** The `service` field of every line; default "gateway". */
  service?: string;
}

/** Structured JSON lines on stdout. */
export function createLogger({ level, service = "gateway" }: LoggerOptions): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime, mixin: traceLogFields });
}

// TEMPORARY: removed once main/server/worker take the injected logger
export const logger = createLogger({
  level: (process.env.LOG_LEVEL || (process.env.VITEST ? "silent" : "info")) as LogLevel,
});

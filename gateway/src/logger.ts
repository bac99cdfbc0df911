import pino from "pino";

/** Structured JSON lines on stdout. */
export const logger = pino({
  level: process.env.LOG_LEVEL || (process.env.VITEST ? "silent" : "info"),
  base: { service: "gateway" },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = typeof logger;

import { format } from "node:util";
import * as grpc from "@grpc/grpc-js";
import pino from "pino";
import { traceLogFields } from "@tessera/tracing";

/** Structured JSON lines on stdout; a gateway that started the tier forwards them as they are. */
export function createTierLogger(level: string) {
  return pino({
    level,
    base: { service: "inference", pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: traceLogFields,
  });
}

export type TierLogger = ReturnType<typeof createTierLogger>;

/** grpc-js writes its own diagnostics to stderr; send them through the logger so stdout stays JSON. */
export function routeGrpcLogs(logger: TierLogger): void {
  const grpcLogger = logger.child({ source: "grpc-js" });
  grpc.setLogger({ error: (...args: unknown[]) => grpcLogger.warn(format(...args)) });
}

import { startTracing as startSharedTracing, type Tracing, type TracingLogger } from "@tessera/tracing/start";
import type { GatewayTracingConfig } from "./tracing-config";
import { markClientTraceContextTrusted } from "./tracing-state";

/** @tessera/tracing's startTracing, and whether GraphQL requests' trace context is continued. */
export function startTracing(
  config: GatewayTracingConfig | null,
  logger: TracingLogger,
  defaultServiceName: string,
): Tracing {
  const tracing = startSharedTracing(config, logger, defaultServiceName);
  if (config) markClientTraceContextTrusted(config.trustClientTraceContext);
  return tracing;
}

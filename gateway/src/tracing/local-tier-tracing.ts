import type { GatewayTracingConfig } from "./tracing-config";

/**
 * A local tier inherits the gateway's environment, OTEL_* included: one OTEL_SERVICE_NAME set for
 * the gateway would name both services alike. The tier gets the name with `-tier` appended.
 */
export function localTierTracingEnv(tracing: GatewayTracingConfig | null): Record<string, string> {
  return tracing?.serviceName ? { OTEL_SERVICE_NAME: `${tracing.serviceName}-tier` } : {};
}

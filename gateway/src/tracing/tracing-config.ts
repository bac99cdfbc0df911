import {
  tracingConfig as sharedTracingConfig,
  TracingConfigError,
  type Env,
  type TracingConfig,
} from "@tessera/tracing";

/**
 * OpenTelemetry's standard variables (see @tessera/tracing) and the gateway's own setting. The
 * gateway's alone: the tier's callers are gateways, whose trace context it always continues.
 */
export interface GatewayTracingConfig extends TracingConfig {
  /**
   * TESSERA_TRACE_TRUST_CLIENTS=true: a GraphQL request's `traceparent` header is continued.
   * Off by default, since under a parentbased sampler the caller's sampled flag decides: any
   * client could have every request of theirs exported (flooding the collector) or none traced.
   */
  trustClientTraceContext: boolean;
}

/** Null when tracing is off: nothing is registered and the OpenTelemetry API stays a no-op. */
export function tracingConfig(env: Env): GatewayTracingConfig | null {
  const config = sharedTracingConfig(env);
  if (!config) return null;
  return { ...config, trustClientTraceContext: strictFlag(env, "TESSERA_TRACE_TRUST_CLIENTS") };
}

/** Tessera's own boolean: unset, "true" or "false", anything else refused. */
function strictFlag(env: Env, name: string): boolean {
  const raw = env[name]?.trim();
  if (!raw || raw === "false") return false;
  if (raw === "true") return true;
  throw new TracingConfigError(`${name} must be "true" or "false", got "${raw}"`);
}

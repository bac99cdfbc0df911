import { trace, type Tracer } from "@opentelemetry/api";

const TRACER_NAME = "tessera-gateway";

let enabled = false;

/**
 * Whether this process exports traces (startTracing registered the SDK). Wrappers that cost
 * something even around a no-op span (SQL statements, blob streams, log lines) are only installed
 * or run when it does. Only the API is imported here: the SDK loads only where tracing starts.
 */
export function tracingEnabled(): boolean {
  return enabled;
}

/** Set by startTracing; tests that register a provider of their own set it back when done. */
export function markTracingEnabled(on = true): void {
  enabled = on;
}

let clientTraceContext = false;

/** Whether a GraphQL request's `traceparent` is continued (TESSERA_TRACE_TRUST_CLIENTS). */
export function clientTraceContextTrusted(): boolean {
  return clientTraceContext;
}

/** Set by startTracing; tests set it back when done. */
export function markClientTraceContextTrusted(on: boolean): void {
  clientTraceContext = on;
}

/** The gateway's tracer; the API's no-op one while tracing is off. */
export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

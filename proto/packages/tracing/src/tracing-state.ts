let enabled = false;

/**
 * Whether this process exports traces (startTracing registered the SDK). Wrappers that cost
 * something even around a no-op span (SQL statements, blob streams, the gRPC server's interceptor,
 * log lines) are only installed or run when it does. Nothing is imported here: the SDK loads only
 * where tracing starts.
 */
export function tracingEnabled(): boolean {
  return enabled;
}

/** Set by startTracing; tests that register a provider of their own set it back when done. */
export function markTracingEnabled(on = true): void {
  enabled = on;
}

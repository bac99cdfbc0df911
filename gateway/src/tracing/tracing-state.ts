import { trace, type Tracer } from "@opentelemetry/api";

const TRACER_NAME = "tessera-gateway";

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

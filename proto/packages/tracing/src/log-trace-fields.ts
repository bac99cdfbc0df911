import { context, isSpanContextValid, trace } from "@opentelemetry/api";
import { tracingEnabled } from "./tracing-state";

export interface TraceLogFields {
  trace_id?: string;
  span_id?: string;
}

/**
 * The active span's ids for a log line (pino's `mixin`), named as OpenTelemetry's trace context in
 * non-OTLP log formats asks (`trace_id`, `span_id`), so a line can be found from its trace and back.
 * Nothing outside a span, and nothing at all while tracing is off.
 */
export function traceLogFields(): TraceLogFields {
  if (!tracingEnabled()) return {};
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

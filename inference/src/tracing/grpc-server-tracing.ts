import * as grpc from "@grpc/grpc-js";
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type Tracer,
} from "@opentelemetry/api";
import { tracingEnabled } from "@tessera/tracing";

const TRACER_NAME = "tessera-tier";

const metadataGetter: TextMapGetter<grpc.Metadata> = {
  keys: (metadata) => Object.keys(metadata.getMap()),
  get: (metadata, key) => {
    const values = metadata.get(key);
    return values.length === 0 ? undefined : values.map(String);
  },
};

/** Asked every second by every gateway: traced only when a traced caller asks. */
const healthRpcs = new Set(["ServerLive", "ServerReady", "ModelReady", "Status"]);

/**
 * A server span per call, the child of the caller's span when its metadata carries a
 * `traceparent` (the gateway's tier client sends one). The handler runs inside it, so its log
 * lines carry the trace id. A task's TierTimings (time queued in the batcher, the batch's run, the
 * batch size) become attributes of the span when its answer carries them.
 */
export function traceTierCalls(): grpc.ServerInterceptor[] {
  if (!tracingEnabled()) return [];
  return [
    (descriptor, call) => {
      const [service = "", method = ""] = descriptor.path.slice(1).split("/");
      let span: Span | null = null;
      let active: Context = ROOT_CONTEXT;
      const inSpan = (next: () => void) => (span ? context.with(active, next) : next());
      const end = (code: grpc.status, details?: string) => {
        if (!span) return;
        span.setAttribute("rpc.grpc.status_code", code);
        if (code !== grpc.status.OK) span.setStatus({ code: SpanStatusCode.ERROR, message: details });
        span.end();
        span = null;
      };
      return new grpc.ServerInterceptingCall(call, {
        start(next) {
          next({
            onReceiveMetadata(metadata, nextMetadata) {
              const parent = propagation.extract(ROOT_CONTEXT, metadata, metadataGetter);
              if (trace.getSpanContext(parent) || !healthRpcs.has(method)) {
                span = tracer().startSpan(
                  `${service}/${method}`,
                  {
                    kind: SpanKind.SERVER,
                    attributes: { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method },
                  },
                  parent,
                );
                active = trace.setSpan(parent, span);
              }
              inSpan(() => nextMetadata(metadata));
            },
            onReceiveMessage(message, nextMessage) {
              inSpan(() => nextMessage(message));
            },
            onReceiveHalfClose(nextHalfClose) {
              inSpan(nextHalfClose);
            },
            onCancel() {
              end(grpc.status.CANCELLED, "cancelled by the client");
            },
          });
        },
        sendMessage(message, nextMessage) {
          if (span) recordTimings(span, message);
          nextMessage(message);
        },
        sendStatus(status, nextStatus) {
          end(status.code ?? grpc.status.OK, status.details);
          nextStatus(status);
        },
      });
    },
  ];
}

interface TimedAnswer {
  timings?: { queue_ms?: number; compute_ms?: number; batch_size?: number } | null;
  latency_ms?: number;
}

function recordTimings(span: Span, message: unknown): void {
  const { timings, latency_ms: latencyMs } = (message ?? {}) as TimedAnswer;
  if (typeof latencyMs === "number") span.setAttribute("tessera.tier.latency_ms", latencyMs);
  if (!timings) return;
  if (typeof timings.queue_ms === "number") span.setAttribute("tessera.tier.queue_ms", timings.queue_ms);
  if (typeof timings.compute_ms === "number")
    span.setAttribute("tessera.tier.compute_ms", timings.compute_ms);
  if (typeof timings.batch_size === "number")
    span.setAttribute("tessera.tier.batch_size", timings.batch_size);
}

/** The tier's tracer; the API's no-op one while tracing is off. */
function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

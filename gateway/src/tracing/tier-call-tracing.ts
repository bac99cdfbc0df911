import * as grpc from "@grpc/grpc-js";
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type TextMapSetter,
} from "@opentelemetry/api";
import { tracingEnabled } from "@tessera/tracing";
import { tracer } from "./tracing-state";

const metadataSetter: TextMapSetter<grpc.Metadata> = {
  set: (metadata, key, value) => metadata.set(key, value),
};

/**
 * A client span per call to a tier, its context sent along as `traceparent` in the call's
 * metadata so the tier's server span is its child. Only calls made inside a span are traced: the
 * readiness probes and status polls of no request would each start a trace of their own.
 */
export function tierCallTracing(): grpc.Interceptor[] {
  return tracingEnabled() ? [traceTierCall] : [];
}

const traceTierCall: grpc.Interceptor = (options, nextCall) => {
  const parent = context.active();
  if (!trace.getSpan(parent)) return new grpc.InterceptingCall(nextCall(options));
  const path = options.method_definition.path;
  const [service = "", method = ""] = path.slice(1).split("/");
  const span = tracer().startSpan(
    `${service}/${method}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method },
    },
    parent,
  );
  const call = nextCall(options);
  return new grpc.InterceptingCall(call, {
    start(metadata, listener, next) {
      propagation.inject(trace.setSpan(parent, span), metadata, metadataSetter);
      next(metadata, {
        onReceiveStatus(status, nextStatus) {
          span.setAttribute("rpc.grpc.status_code", status.code);
          span.setAttribute("server.address", call.getPeer());
          if (status.code !== grpc.status.OK) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: status.details });
          }
          span.end();
          nextStatus(status);
        },
      });
    },
  });
};

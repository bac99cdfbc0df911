import os from "node:os";
import { context, diag, DiagLogLevel, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { SamplerConfig, TracingConfig } from "./tracing-config";
import { markTracingEnabled } from "./tracing-state";

/** What startTracing logs through: a pino logger is one. */
export interface TracingLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  child(bindings: Record<string, unknown>): TracingLogger;
}

export interface Tracing {
  enabled: boolean;
  /** Sends the spans still buffered and stops exporting; call last on shutdown. */
  shutdown(): Promise<void>;
}

/**
 * Registers the OpenTelemetry SDK globally when `config` is set: a tracer provider exporting over
 * OTLP/HTTP, AsyncLocalStorage for the active span, W3C trace context (`traceparent`) for
 * propagation. With `config` null nothing is registered: every span the code starts is the API's
 * non-recording no-op and nothing leaves the process.
 */
export function startTracing(
  config: TracingConfig | null,
  logger: TracingLogger,
  defaultServiceName: string,
): Tracing {
  if (!config) return { enabled: false, shutdown: async () => {} };
  const serviceName = config.serviceName ?? defaultServiceName;
  const exportLogger = logger.child({ component: "tracing" });
  diag.setLogger(
    {
      error: (message, ...args) => exportLogger.warn({ details: args.map(String) }, message),
      warn: (message, ...args) => exportLogger.warn({ details: args.map(String) }, message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      ...config.resourceAttributes,
      [ATTR_SERVICE_NAME]: serviceName,
      "service.instance.id": `${os.hostname()}:${process.pid}`,
    }),
    sampler: sampler(config.sampler),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: config.tracesUrl }),
        scheduledDelayMillis: config.scheduledDelayMs,
        maxQueueSize: config.maxQueueSize,
        maxExportBatchSize: config.maxExportBatchSize,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  markTracingEnabled();
  logger.info(
    { tracesUrl: config.tracesUrl, serviceName, sampler: config.sampler.name },
    "tracing on: spans are exported over OTLP/HTTP",
  );
  return {
    enabled: true,
    shutdown: async () => {
      await provider
        .shutdown()
        .catch((error: unknown) => exportLogger.warn({ err: error }, "could not send the last spans"));
    },
  };
}

function sampler({ name, ratio }: SamplerConfig): Sampler {
  switch (name) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(ratio);
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

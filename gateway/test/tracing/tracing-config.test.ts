import { trace, ProxyTracerProvider } from "@opentelemetry/api";
import { tracingConfig, TracingConfigError, tracingEnabled } from "@tessera/tracing";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger";
import type { BlobStore } from "../../src/storage/blob-store";
import { traceBlobStore } from "../../src/tracing/blob-tracing";
import { tierCallTracing } from "../../src/tracing/tier-call-tracing";
import { localTierTracingEnv } from "../../src/tracing/local-tier-tracing";
import { startTracing } from "../../src/tracing/tracing";
import { tracingConfig as gatewayTracingConfig } from "../../src/tracing/tracing-config";
import { tracer } from "../../src/tracing/tracing-state";

const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };

describe("TESSERA_TRACE_TRUST_CLIENTS", () => {
  it("is the one setting the gateway adds to the OpenTelemetry variables that @tessera/tracing reads", () => {
    expect(gatewayTracingConfig({})).toBeNull();
    expect(gatewayTracingConfig({ ...ENDPOINT, OTEL_SERVICE_NAME: "tessera-eu" })).toEqual({
      ...tracingConfig({ ...ENDPOINT, OTEL_SERVICE_NAME: "tessera-eu" }),
      trustClientTraceContext: false,
    });
  });

  it("is off by default, on only when true, and refuses anything else naming the variable", () => {
    expect(gatewayTracingConfig(ENDPOINT)?.trustClientTraceContext).toBe(false);
    expect(
      gatewayTracingConfig({ ...ENDPOINT, TESSERA_TRACE_TRUST_CLIENTS: "true" })?.trustClientTraceContext,
    ).toBe(true);
    expect(
      gatewayTracingConfig({ ...ENDPOINT, TESSERA_TRACE_TRUST_CLIENTS: "false" })?.trustClientTraceContext,
    ).toBe(false);
    expect(() => gatewayTracingConfig({ ...ENDPOINT, TESSERA_TRACE_TRUST_CLIENTS: "yes" })).toThrow(
      /^TESSERA_TRACE_TRUST_CLIENTS must be "true" or "false"/,
    );
  });
});

describe("tracing configuration from OpenTelemetry's standard variables", () => {
  it("is off without an OTLP endpoint", () => {
    expect(tracingConfig({})).toBeNull();
    expect(tracingConfig({ OTEL_SERVICE_NAME: "api", OTEL_TRACES_SAMPLER: "always_on" })).toBeNull();
  });

  it("appends /v1/traces to the general endpoint and takes the traces endpoint as it is", () => {
    expect(tracingConfig(ENDPOINT)).toEqual({
      tracesUrl: "http://collector:4318/v1/traces",
      serviceName: null,
      resourceAttributes: {},
      sampler: { name: "parentbased_always_on", ratio: 1 },
      scheduledDelayMs: 5000,
      maxQueueSize: 2048,
      maxExportBatchSize: 512,
    });
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://c.example/otlp/" })?.tracesUrl).toBe(
      "https://c.example/otlp/v1/traces",
    );
    expect(
      tracingConfig({ ...ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://other:9999/custom" })
        ?.tracesUrl,
    ).toBe("http://other:9999/custom");
  });

  it("stays off when the SDK is disabled or the traces exporter is none", () => {
    expect(tracingConfig({ ...ENDPOINT, OTEL_SDK_DISABLED: "TRUE" })).toBeNull();
    expect(tracingConfig({ ...ENDPOINT, OTEL_TRACES_EXPORTER: "none" })).toBeNull();
    expect(tracingConfig({ ...ENDPOINT, OTEL_SDK_DISABLED: "false" })).not.toBeNull();
  });

  it("reads the service name, resource attributes, sampler and batch sizes", () => {
    expect(
      tracingConfig({
        ...ENDPOINT,
        OTEL_SERVICE_NAME: "tessera-eu",
        OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=prod,team=ml%20platform",
        OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "0.25",
        OTEL_BSP_SCHEDULE_DELAY: "200",
        OTEL_BSP_MAX_QUEUE_SIZE: "100",
      }),
    ).toMatchObject({
      serviceName: "tessera-eu",
      resourceAttributes: { "deployment.environment": "prod", team: "ml platform" },
      sampler: { name: "parentbased_traceidratio", ratio: 0.25 },
      scheduledDelayMs: 200,
      maxQueueSize: 100,
      maxExportBatchSize: 100,
    });
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" }, /OTEL_EXPORTER_OTLP_ENDPOINT must be an http/],
    [
      { ...ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" },
      /OTEL_EXPORTER_OTLP_PROTOCOL must be "http\/protobuf" or "http\/json".*4318/,
    ],
    [{ ...ENDPOINT, OTEL_TRACES_SAMPLER: "jaeger_remote" }, /OTEL_TRACES_SAMPLER must be one of always_on, /],
    [
      { ...ENDPOINT, OTEL_TRACES_SAMPLER: "traceidratio", OTEL_TRACES_SAMPLER_ARG: "2" },
      /between 0 and 1, got "2"/,
    ],
    [{ ...ENDPOINT, OTEL_TRACES_EXPORTER: "zipkin" }, /OTEL_TRACES_EXPORTER must be "otlp" or "none"/],
    [{ ...ENDPOINT, OTEL_RESOURCE_ATTRIBUTES: "=x" }, /OTEL_RESOURCE_ATTRIBUTES must be key=value pairs/],
    [
      { ...ENDPOINT, OTEL_BSP_MAX_QUEUE_SIZE: "0" },
      /OTEL_BSP_MAX_QUEUE_SIZE must be an integer between 1 and/,
    ],
    [
      { ...ENDPOINT, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: "4096" },
      /OTEL_BSP_MAX_EXPORT_BATCH_SIZE must be an integer between 1 and 2048/,
    ],
  ])("refuses %o at start with a message naming the variable", (env, message) => {
    expect(() => tracingConfig(env)).toThrow(expect.objectContaining({ name: TracingConfigError.name }));
    expect(() => tracingConfig(env)).toThrow(message);
  });
});

describe("tracing off", () => {
  it("registers nothing: no provider, no exporter, and every hook hands back what it was given", async () => {
    const tracing = startTracing(
      gatewayTracingConfig({}),
      createLogger({ level: "silent" }),
      "tessera-gateway",
    );
    expect(tracing.enabled).toBe(false);
    expect(tracingEnabled()).toBe(false);
    // The API's global provider still delegates to its no-op: no SDK provider was set.
    const provider = trace.getTracerProvider() as ProxyTracerProvider;
    expect(provider.getDelegate().constructor.name).toBe("NoopTracerProvider");
    expect(tracer().startSpan("anything").isRecording()).toBe(false);
    expect(tierCallTracing()).toEqual([]);
    const store = {} as BlobStore;
    expect(traceBlobStore(store)).toBe(store);
    await tracing.shutdown();
  });
});

describe("a local tier's service name", () => {
  it("is the gateway's with -tier appended, or the tier's own default", () => {
    const named = gatewayTracingConfig({ ...ENDPOINT, OTEL_SERVICE_NAME: "tessera-eu" });
    expect(localTierTracingEnv(named)).toEqual({ OTEL_SERVICE_NAME: "tessera-eu-tier" });
    expect(localTierTracingEnv(gatewayTracingConfig(ENDPOINT))).toEqual({});
    expect(localTierTracingEnv(null)).toEqual({});
  });
});

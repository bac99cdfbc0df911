import * as grpc from "@grpc/grpc-js";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { loadKServe } from "@tessera/proto/kserve";
import { markTracingEnabled, traceLogFields } from "@tessera/tracing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceTierCalls } from "../../src/tracing/grpc-server-tracing";

const PARENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_SPAN = "00f067aa0ba902b7";

interface UnaryMethod {
  path: string;
  requestSerialize: (value: object) => Buffer;
  responseDeserialize: (bytes: Buffer) => object;
}

/**
 * The tier's server interceptor on a real gRPC server and client, with a provider of the test's
 * own (taken away after the file: test files share their worker's modules).
 */
describe("the tier's server spans", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const logFields: Array<ReturnType<typeof traceLogFields>> = [];
  let server: grpc.Server;
  let client: grpc.Client;
  const service = loadKServe().GRPCInferenceService.service;

  const call = (rpc: "ServerLive" | "ServerMetadata", traceparent?: string) => {
    const method = service[rpc] as unknown as UnaryMethod;
    const metadata = new grpc.Metadata();
    if (traceparent) metadata.set("traceparent", traceparent);
    return new Promise<void>((resolve, reject) =>
      client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        {},
        metadata,
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  };

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    markTracingEnabled();
    server = new grpc.Server({ interceptors: traceTierCalls() });
    server.addService(service, {
      ServerLive: (_call: unknown, callback: grpc.sendUnaryData<object>) => callback(null, { live: true }),
      ServerMetadata: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
        logFields.push(traceLogFields());
        callback(null, { name: "tier", version: "1", extensions: [] });
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    server?.forceShutdown();
    markTracingEnabled(false);
    trace.disable();
    propagation.disable();
    context.disable();
    await provider.shutdown();
  });

  it("makes the handler's span a child of the caller's traceparent, active while the handler runs", async () => {
    exporter.reset();
    await call("ServerMetadata", `00-${PARENT_TRACE}-${PARENT_SPAN}-01`);
    const [span, ...more] = exporter.getFinishedSpans();
    expect(more).toEqual([]);
    expect(span!.name).toBe("inference.GRPCInferenceService/ServerMetadata");
    expect(span!.spanContext().traceId).toBe(PARENT_TRACE);
    expect(span!.parentSpanContext?.spanId).toBe(PARENT_SPAN);
    expect(span!.attributes).toMatchObject({ "rpc.system": "grpc", "rpc.grpc.status_code": 0 });
    expect(logFields.at(-1)).toEqual({ trace_id: PARENT_TRACE, span_id: span!.spanContext().spanId });
  });

  it("starts a trace of its own for a call that brings none", async () => {
    exporter.reset();
    await call("ServerMetadata");
    const [span] = exporter.getFinishedSpans();
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.spanContext().traceId).not.toBe(PARENT_TRACE);
  });

  it("traces health probes only when a traced caller sends them", async () => {
    exporter.reset();
    await call("ServerLive");
    expect(exporter.getFinishedSpans()).toEqual([]);
    await call("ServerLive", `00-${PARENT_TRACE}-${PARENT_SPAN}-01`);
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual([
      "inference.GRPCInferenceService/ServerLive",
    ]);
  });
});

import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  InMemorySpanExporter,
  ParentBasedSampler,
  AlwaysOnSampler,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { markTracingEnabled } from "@tessera/tracing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceOperation } from "../../src/tracing/graphql-tracing";
import { markClientTraceContextTrusted } from "../../src/tracing/tracing-state";

const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";

/**
 * A GraphQL request's `traceparent` under the default sampler (parentbased_always_on), with a
 * provider of the test's own, taken away after the file (test files share their worker's modules).
 */
describe("a client's traceparent", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    markTracingEnabled();
  });

  afterAll(async () => {
    markClientTraceContextTrusted(false);
    markTracingEnabled(false);
    trace.disable();
    propagation.disable();
    context.disable();
    await provider.shutdown();
  });

  const operationSpans = async (traceparent: string) => {
    exporter.reset();
    await traceOperation({ traceparent }, async () => {});
    return exporter.getFinishedSpans().map((span) => ({
      traceId: span.spanContext().traceId,
      parentSpanId: span.parentSpanContext?.spanId,
    }));
  };

  it("is ignored by default: the operation starts a trace of its own, sampled by the gateway", async () => {
    markClientTraceContextTrusted(false);
    const [followed, ...more] = await operationSpans(`00-${CALLER_TRACE}-${CALLER_SPAN}-01`);
    expect(more).toEqual([]);
    expect(followed!.traceId).not.toBe(CALLER_TRACE);
    expect(followed!.parentSpanId).toBeUndefined();
    // A caller asking not to be sampled is traced all the same.
    expect(await operationSpans(`00-${CALLER_TRACE}-${CALLER_SPAN}-00`)).toHaveLength(1);
  });

  it("is continued with TESSERA_TRACE_TRUST_CLIENTS=true, its sampled flag deciding", async () => {
    markClientTraceContextTrusted(true);
    expect(await operationSpans(`00-${CALLER_TRACE}-${CALLER_SPAN}-01`)).toEqual([
      { traceId: CALLER_TRACE, parentSpanId: CALLER_SPAN },
    ]);
    expect(await operationSpans(`00-${CALLER_TRACE}-${CALLER_SPAN}-00`)).toEqual([]);
  });
});

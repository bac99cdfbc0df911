import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { markTracingEnabled } from "@tessera/tracing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traceJobRun, withQueuingTrace } from "../../src/tracing/job-tracing";
import { tracer } from "../../src/tracing/tracing-state";

/**
 * Test files share their worker's modules (vitest `isolate: false`): the provider registered here
 * is taken away again after the file, so no other file runs traced.
 */
describe("job runs traced as their own traces, linked to the request that queued them", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    markTracingEnabled();
  });

  afterAll(async () => {
    markTracingEnabled(false);
    trace.disable();
    propagation.disable();
    context.disable();
    await provider.shutdown();
  });

  it("carries the queuing span in the payload and links the run's root span to it", async () => {
    const [payload, request] = tracer().startActiveSpan("startTraining", (span) => {
      span.end();
      return [withQueuingTrace({ jobId: "job-1" }), span.spanContext()] as const;
    });
    expect(payload).toEqual({
      jobId: "job-1",
      traceparent: `00-${request.traceId}-${request.spanId}-01`,
    });

    await traceJobRun("train", { id: "queue-7", payload, attempt: 2 }, "job-1", async () => {
      tracer().startSpan("tier call").end();
    });

    const run = exporter.getFinishedSpans().find((span) => span.name === "job train")!;
    expect(run.parentSpanContext).toBeUndefined();
    expect(run.spanContext().traceId).not.toBe(request.traceId);
    expect(run.links.map((link) => link.context.spanId)).toEqual([request.spanId]);
    expect(run.attributes).toMatchObject({
      "tessera.job.kind": "train",
      "tessera.job.id": "job-1",
      "tessera.job.queue_id": "queue-7",
      "tessera.job.attempt": 2,
    });
    const child = exporter.getFinishedSpans().find((span) => span.name === "tier call")!;
    expect(child.parentSpanContext?.spanId).toBe(run.spanContext().spanId);
  });

  it("queues the payload unchanged outside any span, and runs unlinked", async () => {
    const payload = withQueuingTrace({ jobId: "job-2" });
    expect(payload).toEqual({ jobId: "job-2" });
    await traceJobRun("embed", { id: "queue-8", payload, attempt: 1 }, "job-2", async () => {});
    const run = exporter.getFinishedSpans().find((span) => span.name === "job embed")!;
    expect(run.links).toEqual([]);
  });
});

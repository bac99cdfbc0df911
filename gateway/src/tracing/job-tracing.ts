import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Link,
  type TextMapGetter,
} from "@opentelemetry/api";
import { tracingEnabled } from "@tessera/tracing";
import { tracer } from "./tracing-state";

/** The queue message's field that carries the queuing request's span context (W3C traceparent). */
const TRACE_FIELD = "traceparent";

/**
 * The payload a job is queued with, plus the active span's `traceparent` when there is one, so
 * the run (on any worker process, maybe hours later) links back to the request that queued it.
 * The payload itself when tracing is off or nothing is active.
 */
export function withQueuingTrace<Payload>(payload: Payload): Payload {
  if (!tracingEnabled() || !payload || typeof payload !== "object") return payload;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const traceparent = carrier[TRACE_FIELD];
  return traceparent ? { ...payload, [TRACE_FIELD]: traceparent } : payload;
}

const payloadGetter: TextMapGetter<unknown> = {
  keys: () => [TRACE_FIELD],
  get: (payload, key) => {
    const value = (payload as Record<string, unknown> | null)?.[key];
    return typeof value === "string" ? value : undefined;
  },
};

export interface TracedJob {
  /** The queue's id of this run. */
  id: string;
  payload: unknown;
  attempt: number;
}

/**
 * One span per run of a job, the root of its own trace (a run outlives the request that queued
 * it): linked to that request's span when the payload carries one, with the job's kind, its Job
 * row's id and the attempt. Everything the handler does (SQL, blobs, tier calls) is its child.
 */
export function traceJobRun(
  kind: string,
  job: TracedJob,
  jobId: string | null,
  run: () => Promise<void>,
): Promise<void> {
  if (!tracingEnabled()) return run();
  const queued = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, job.payload, payloadGetter));
  const links: Link[] = queued ? [{ context: queued, attributes: { "tessera.link": "queued by" } }] : [];
  return tracer().startActiveSpan(
    `job ${kind}`,
    {
      kind: SpanKind.CONSUMER,
      root: true,
      links,
      attributes: {
        "tessera.job.kind": kind,
        "tessera.job.queue_id": job.id,
        "tessera.job.attempt": job.attempt,
        ...(jobId ? { "tessera.job.id": jobId } : {}),
      },
    },
    async (span) => {
      try {
        await run();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

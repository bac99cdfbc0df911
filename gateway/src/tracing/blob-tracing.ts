import type { Readable } from "node:stream";
import {
  context,
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from "@opentelemetry/api";
import { tracingEnabled } from "@tessera/tracing";
import type { BlobStore, ByteRange, StoredBlob } from "../storage/blob-store";
import { tracer } from "./tracing-state";

/**
 * The store with a span around each blob write and read: `put` (size, hash, whether the content
 * was new), `openRead` (until the stream closes, so a slow download shows its length) and, on
 * stores that have it, `withLocalFile` (the local copy a reader needs, fetched from an object store
 * on a cache miss). Everything else passes through. Only inside a span: the orphan sweep's reads
 * start no trace. The store itself is returned when tracing is off.
 */
export function traceBlobStore<Store extends BlobStore>(store: Store): Store {
  if (!tracingEnabled()) return store;
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      let method = wrapped.get(property);
      if (!method) {
        // Bound to the store itself: its private fields are not reachable through a proxy.
        const bound = (value as (...args: unknown[]) => unknown).bind(target);
        method = tracedMethods[property as string]?.(bound) ?? bound;
        wrapped.set(property, method);
      }
      return method;
    },
  });
}

type Method = (...args: unknown[]) => unknown;

const tracedMethods: Record<string, (method: Method) => Method> = {
  put: (put) => (source, options) =>
    inSpan("blob put", {}, async (span) => {
      const stored = (await put(source, options)) as StoredBlob;
      span.setAttributes({
        "tessera.blob.sha256": stored.sha256,
        "tessera.blob.size_bytes": stored.sizeBytes,
        "tessera.blob.created": stored.created,
      });
      return stored;
    }),
  openRead: (openRead) => (sha256, range) => {
    const parent = context.active();
    if (!trace.getSpan(parent)) return openRead(sha256, range);
    const span = startSpan(
      "blob read",
      readAttributes(sha256 as string, range as ByteRange | undefined),
      parent,
    );
    return (openRead(sha256, range) as Promise<Readable>).then(
      (stream) => {
        stream.once("close", () => {
          if (stream.errored) fail(span, stream.errored);
          span.end();
        });
        return stream;
      },
      (error: unknown) => {
        fail(span, error);
        span.end();
        throw error;
      },
    );
  },
  withLocalFile: (withLocalFile) => (sha256, use) =>
    inSpan("blob local file", { "tessera.blob.sha256": sha256 as string }, () =>
      Promise.resolve(withLocalFile(sha256, use)),
    ),
};

function readAttributes(sha256: string, range: ByteRange | undefined): Attributes {
  return range
    ? {
        "tessera.blob.sha256": sha256,
        "tessera.blob.range_start": range.start,
        "tessera.blob.range_end": range.end,
      }
    : { "tessera.blob.sha256": sha256 };
}

function inSpan<T>(name: string, attributes: Attributes, run: (span: Span) => Promise<T>): Promise<T> {
  const parent = context.active();
  if (!trace.getSpan(parent)) return run(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  const span = startSpan(name, attributes, parent);
  return context
    .with(trace.setSpan(parent, span), () => run(span))
    .then(
      (result) => {
        span.end();
        return result;
      },
      (error: unknown) => {
        fail(span, error);
        span.end();
        throw error;
      },
    );
}

function startSpan(name: string, attributes: Attributes, parent: Context): Span {
  return tracer().startSpan(name, { kind: SpanKind.INTERNAL, attributes }, parent);
}

function fail(span: Span, error: unknown): void {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
}

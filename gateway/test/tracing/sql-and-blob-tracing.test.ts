import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { markTracingEnabled } from "@tessera/tracing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPrisma, type PrismaClient } from "../../src/db/prisma";
import { LocalBlobStore } from "../../src/storage/local-blob-store";
import { traceBlobStore } from "../../src/tracing/blob-tracing";
import { tracer } from "../../src/tracing/tracing-state";
import { createEmptyDatabase, type EmptyDatabase } from "../support/database";

/**
 * SQL and blob spans with a provider of the test's own, taken away after the file (test files
 * share their worker's modules): the pool and the store are made while tracing is on, as a
 * traced gateway makes them.
 */
describe("SQL statements and blob I/O as spans", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let database: EmptyDatabase;
  let prisma: PrismaClient;
  let blobDir: string;
  let store: LocalBlobStore;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    markTracingEnabled();
    database = await createEmptyDatabase();
    prisma = createPrisma(database.url);
    blobDir = await mkdtemp(path.join(os.tmpdir(), "tessera-blob-tracing-"));
    store = traceBlobStore(new LocalBlobStore(blobDir));
  });

  afterAll(async () => {
    markTracingEnabled(false);
    trace.disable();
    propagation.disable();
    context.disable();
    await provider.shutdown();
    await prisma?.$disconnect();
    await database?.close();
    if (blobDir) await rm(blobDir, { recursive: true, force: true });
  });

  beforeEach(() => exporter.reset());

  const inRequest = <T>(work: () => Promise<T>) =>
    tracer().startActiveSpan("request", async (span) => {
      try {
        return await work();
      } finally {
        span.end();
      }
    });

  const children = () => {
    const spans = exporter.getFinishedSpans();
    const request = spans.find((span) => span.name === "request")!;
    return spans.filter((span) => span.parentSpanContext?.spanId === request.spanContext().spanId);
  };

  it("records each statement under the request's span, its text but never its parameters", async () => {
    await inRequest(() => prisma.$queryRawUnsafe("SELECT $1::text AS secret", "hunter2"));
    const [statement, ...more] = children();
    expect(more).toEqual([]);
    expect(statement!.name).toBe("SELECT");
    expect(statement!.attributes).toEqual({
      "db.system.name": "postgresql",
      "db.query.text": "SELECT $1::text AS secret",
      "db.response.returned_rows": 1,
    });
    expect(JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes))).not.toContain(
      "hunter2",
    );
  });

  it("records an interactive transaction's statements on its own connection under the same span", async () => {
    await inRequest(() => prisma.$transaction((tx) => tx.$queryRawUnsafe("SELECT 1 AS one")));
    expect(children().map((span) => span.name)).toEqual(["BEGIN", "SELECT", "COMMIT"]);
  });

  it("starts no trace for statements outside any span", async () => {
    await prisma.$queryRawUnsafe("SELECT 2 AS two");
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it("records a put and a ranged read, the read until its stream closes", async () => {
    const stored = await inRequest(() => store.put(Readable.from([Buffer.from("hello, traces")])));
    const read = await inRequest(async () =>
      text(await store.openRead(stored.sha256, { start: 7, end: 12 })),
    );
    expect(read).toBe("traces");
    const spans = exporter.getFinishedSpans();
    expect(spans.find((span) => span.name === "blob put")!.attributes).toEqual({
      "tessera.blob.sha256": stored.sha256,
      "tessera.blob.size_bytes": 13,
      "tessera.blob.created": true,
    });
    expect(spans.find((span) => span.name === "blob read")!.attributes).toEqual({
      "tessera.blob.sha256": stored.sha256,
      "tessera.blob.range_start": 7,
      "tessera.blob.range_end": 12,
    });
    // Everything else goes to the store itself.
    expect(await store.has(stored.sha256)).toBe(true);
  });
});

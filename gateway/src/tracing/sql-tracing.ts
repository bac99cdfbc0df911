import type pg from "pg";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { tracer } from "./tracing-state";

/** Statements longer than this are cut in the span (a bulk INSERT's text can run to megabytes). */
export const MAX_TRACED_SQL_CHARS = 2_000;

type Query = (...args: unknown[]) => unknown;

/**
 * A client span per SQL statement sent through `pool` — Prisma's (adapter-pg sends through the
 * pool, and through a checked-out client inside transactions) and hand-written SQL alike. Spans
 * are children of the active span; statements outside any (pg-boss polling, the notifier's
 * listener, sweeps) start no trace. The statement's text is recorded, never its parameters.
 * Callback-style calls pass through untraced: only pg-pool itself makes them, inside `query`.
 */
export function traceSqlPool(pool: pg.Pool): void {
  const query = pool.query.bind(pool) as Query;
  pool.query = ((...args: unknown[]) => traced(query, args)) as typeof pool.query;
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  pool.connect = ((...args: unknown[]) => {
    if (args.length > 0) return connect(...args);
    return (connect() as Promise<pg.PoolClient>).then(tracedClient);
  }) as typeof pool.connect;
}

/**
 * The checked-out client with a traced `query`, as a proxy: the client itself goes back to the
 * pool untouched, where pg-pool's own (callback) queries on it must not be traced twice.
 */
function tracedClient(client: pg.PoolClient): pg.PoolClient {
  const query = client.query.bind(client) as Query;
  const tracedQuery = (...args: unknown[]) => traced(query, args);
  return new Proxy(client, {
    get: (target, property, receiver) =>
      property === "query" ? tracedQuery : (Reflect.get(target, property, receiver) as unknown),
  });
}

function traced(query: Query, args: unknown[]): unknown {
  const parent = context.active();
  if (!trace.getSpan(parent) || typeof args.at(-1) === "function") return query(...args);
  const text = sqlText(args[0]);
  const span = tracer().startSpan(
    operationOf(text),
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "db.system.name": "postgresql",
        "db.query.text":
          text.length > MAX_TRACED_SQL_CHARS ? `${text.slice(0, MAX_TRACED_SQL_CHARS)}…` : text,
      },
    },
    parent,
  );
  const result = context.with(trace.setSpan(parent, span), () => query(...args));
  // A submittable (a cursor, a stream) is returned as it is: its rows come later, piecemeal.
  if (!isPromise(result)) {
    span.end();
    return result;
  }
  return result.then(
    (answer) => {
      if (answer?.command === "SELECT" && typeof answer.rowCount === "number") {
        span.setAttribute("db.response.returned_rows", answer.rowCount);
      }
      span.end();
      return answer;
    },
    (error: unknown) => {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      span.end();
      throw error;
    },
  );
}

type Answer = { command?: string; rowCount?: number | null } | undefined;

function isPromise(value: unknown): value is Promise<Answer> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function sqlText(first: unknown): string {
  if (typeof first === "string") return first;
  const text = (first as { text?: unknown } | null)?.text;
  return typeof text === "string" ? text : "";
}

/** The statement's first keyword (SELECT, INSERT, BEGIN…): a span name of few distinct values. */
function operationOf(text: string): string {
  const keyword = /^\s*(?:--[^\n]*\n\s*)*([A-Za-z]+)/.exec(text)?.[1];
  return keyword ? keyword.toUpperCase() : "SQL";
}

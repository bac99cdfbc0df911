import type { IncomingHttpHeaders } from "node:http";
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from "@opentelemetry/api";
import type { ApolloServerPlugin } from "@apollo/server";
import { tracingEnabled } from "@tessera/tracing";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import { OperationCosts } from "../graphql/operation-costs";
import { clientTraceContextTrusted, tracer } from "./tracing-state";

/** Named "graphql" until Apollo knows the operation; an unparsable request keeps that name. */
const UNRESOLVED_NAME = "graphql";

/**
 * Runs one GraphQL request over HTTP inside its operation span, so the SQL, blob and tier spans
 * of its resolvers are its children. One span per operation, none per resolver: a nested list
 * resolves thousands of trivial fields, and their time is the operation's anyway.
 */
export function traceOperation<T>(headers: IncomingHttpHeaders, run: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return run();
  // A trusted caller that traces (a proxy in front) sends `traceparent`: the operation joins its
  // trace. Anyone else's is ignored, or they would decide whether their requests are sampled.
  const caller = clientTraceContextTrusted() ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
  return tracer().startActiveSpan(UNRESOLVED_NAME, { kind: SpanKind.SERVER }, caller, async (span) => {
    try {
      return await run();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Names the operation span after the operation (its name, else its type) and records its type,
 * its estimated cost and the errors it answered. Does nothing outside a recording span.
 */
export function graphqlTracingPlugin(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  const costs = new OperationCosts(schema, maxComplexity);
  return {
    async requestDidStart() {
      if (!tracingEnabled()) return;
      const span = trace.getActiveSpan();
      if (!span?.isRecording()) return;
      return {
        async didResolveOperation({ operation, operationName, document, request }) {
          if (!operation) return;
          const type = operation.operation;
          span.updateName(operationName ?? type);
          span.setAttribute("graphql.operation.type", type);
          if (operationName) span.setAttribute("graphql.operation.name", operationName);
          const cost = costs.cost(document, request.operationName, request.variables);
          if (cost !== null) span.setAttribute("tessera.graphql.cost", cost);
        },
        async willSendResponse({ response, errors }) {
          const body = response.body.kind === "single" ? response.body.singleResult : null;
          recordErrors(span, body?.errors ?? errors?.map((error) => error.toJSON()) ?? []);
        },
      };
    },
  };
}

function recordErrors(span: Span, errors: readonly GraphQLFormattedError[]): void {
  span.setAttribute("tessera.graphql.error_count", errors.length);
  if (errors.length === 0) return;
  const codes = [
    ...new Set(errors.map((error) => String(error.extensions?.code ?? "INTERNAL_SERVER_ERROR"))),
  ];
  span.setAttribute("tessera.graphql.error_codes", codes);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errors[0]!.message });
}

import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLError } from "graphql";
import Negotiator from "negotiator";
import { ErrorCode, httpStatusOfCode } from "../errors";

/** The media types Apollo chooses between for a single result, in its order (ties go to the first). */
const APPLICATION_JSON = "application/json; charset=utf-8";
const GRAPHQL_RESPONSE_JSON = "application/graphql-response+json; charset=utf-8";
const JSON_GRAPHQL_CALLBACK = "application/json; callbackSpec=1.0; charset=utf-8";

/**
 * How GraphQL refuses a well-formed request (as Apollo and the operation guard code it): the
 * document does not parse or validate, the variables do not fit, a limit refuses the operation.
 * A malformed request (`BAD_REQUEST`: no query, a query that is not a string) is not among them.
 */
const GRAPHQL_REFUSALS = new Set<unknown>([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  ErrorCode.BAD_USER_INPUT,
]);

/**
 * HTTP statuses as the GraphQL-over-HTTP spec asks. An execution result (it has `data`) answers
 * 200. A request error (no `data`) answers with the status its error's code maps to (errors.ts),
 * and a RATE_LIMITED one with `Retry-After`; under the legacy `application/json` a well-formed
 * request answers 200 when GraphQL refused it (the spec's SHOULD), while statuses about the HTTP
 * exchange itself stay (a malformed body, 405 for a mutation over GET, 429).
 */
export const graphqlResponseStatus: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ request, response, errors }) {
        if (response.body.kind !== "single" || response.body.singleResult.data !== undefined) return;
        const first = response.body.singleResult.errors?.[0];
        // Apollo answers 500 for an error thrown before execution that did not carry a status.
        const status =
          response.http.status === undefined || response.http.status === 500
            ? (httpStatusOfCode(first?.extensions?.code) ?? response.http.status)
            : response.http.status;
        const refusedByGraphQL = status === 400 && isGraphQLRefusal(errors);
        response.http.status =
          refusedByGraphQL && prefersLegacyJson(request.http?.headers.get("accept")) ? 200 : status;
        const retryAfter = first?.extensions?.retryAfterSeconds;
        if (typeof retryAfter === "number") response.http.headers.set("retry-after", String(retryAfter));
      },
    };
  },
};

function isGraphQLRefusal(errors: readonly GraphQLError[] | undefined): boolean {
  return !!errors?.length && errors.every((error) => GRAPHQL_REFUSALS.has(error.extensions.code));
}

/** Whether Apollo answers this Accept header with `application/json` (no header: it does). */
function prefersLegacyJson(accept: string | undefined): boolean {
  if (!accept) return true;
  const chosen = new Negotiator({ headers: { accept } }).mediaType([
    APPLICATION_JSON,
    GRAPHQL_RESPONSE_JSON,
    JSON_GRAPHQL_CALLBACK,
  ]);
  return chosen !== GRAPHQL_RESPONSE_JSON;
}

import type { FormattedExecutionResult } from "graphql";
import { ServerError, ServerParseError } from "@apollo/client/errors";
import type { XhrResponse } from "./xhr-request";

/**
 * Reads a GraphQL answer the way Apollo's HttpLink does, with one difference: a non-2xx answer
 * whose body is still a GraphQL result (a 413 from the upload limit, a 400 for bad input) is
 * passed on as that result, so the server's own message reaches the person.
 */
export function parseGraphQLResponse(response: XhrResponse): FormattedExecutionResult {
  const asFetchResponse = () =>
    new Response(null, {
      status: response.status,
      headers: response.contentType ? { "content-type": response.contentType } : {},
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.bodyText);
  } catch (error) {
    if (response.status >= 300) {
      throw new ServerError(`Response not successful: Received status code ${response.status}`, {
        response: asFetchResponse(),
        bodyText: response.bodyText,
      });
    }
    throw new ServerParseError(error, { response: asFetchResponse(), bodyText: response.bodyText });
  }
  if (isExecutionResult(parsed)) return parsed;
  throw new ServerError(`The server's answer is not a GraphQL result (HTTP ${response.status})`, {
    response: asFetchResponse(),
    bodyText: response.bodyText,
  });
}

function isExecutionResult(value: unknown): value is FormattedExecutionResult {
  return typeof value === "object" && value !== null && ("data" in value || "errors" in value);
}

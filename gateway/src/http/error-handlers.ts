import type { ErrorRequestHandler } from "express";
import { formatGraphQLError, httpStatusOfCode } from "../errors";
import type { Logger } from "../logger";
import { sendError } from "./send-error";

/*
 * Errors that reach Express instead of a route's answer: a body that is not JSON or is over the
 * limit, a malformed multipart request, a URL that does not decode. Express's own handler would
 * answer with an HTML page holding the stack trace.
 */

/**
 * For /graphql: GraphQL-shaped JSON (`{"errors":[{"message","extensions":{"code"}}]}`) with the
 * HTTP status of its code, through the same normaliser as every other GraphQL error.
 */
export function graphqlErrorHandler(logger: Logger, exposeInternal: boolean): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const formatted = formatGraphQLError(
      { message: error instanceof Error ? error.message : String(error) },
      error,
      exposeInternal,
      (unexpected) => logger.error({ err: unexpected }, "unexpected error before a GraphQL operation ran"),
    );
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(httpStatusOfCode(formatted.extensions?.code) ?? 500).json({ errors: [formatted] });
  };
}

/** For every other route: the JSON errors plain HTTP routes answer with (see sendError). */
export function httpErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => sendError(res, error, logger);
}

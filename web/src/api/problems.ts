import { CombinedGraphQLErrors, ServerError, ServerParseError } from "@apollo/client/errors";

/** One thing that went wrong, as the server put it: its `extensions.code` and message. */
export interface Problem {
  code: string;
  message: string;
  /** The input the server blamed (`extensions.field`), when it named one. */
  field?: string;
}

interface FormattedError {
  message: string;
  extensions?: Record<string, unknown> | null;
}

/** Turns whatever an operation failed with into problems to show; never throws. */
export function problemsOf(error: unknown): Problem[] {
  if (!error) return [];
  if (CombinedGraphQLErrors.is(error)) return error.errors.map(fromFormatted);
  if (ServerError.is(error)) {
    const fromBody = errorsInBody(error.bodyText);
    if (fromBody.length > 0) return fromBody.map(fromFormatted);
    return [{ code: `HTTP_${error.statusCode}`, message: error.message }];
  }
  if (ServerParseError.is(error)) {
    return [
      { code: "BAD_RESPONSE", message: `The server answered something that is not JSON: ${error.message}` },
    ];
  }
  if (error instanceof DOMException && error.name === "AbortError") {
    return [{ code: "CANCELLED", message: error.message }];
  }
  if (error instanceof TypeError) return [{ code: "NETWORK_ERROR", message: error.message }];
  const message = error instanceof Error ? error.message : String(error);
  return [{ code: "ERROR", message }];
}

export function hasCode(error: unknown, code: string): boolean {
  return problemsOf(error).some((problem) => problem.code === code);
}

function fromFormatted(error: FormattedError): Problem {
  const code = typeof error.extensions?.code === "string" ? error.extensions.code : "ERROR";
  const field = typeof error.extensions?.field === "string" ? error.extensions.field : undefined;
  return field ? { code, message: error.message, field } : { code, message: error.message };
}

function errorsInBody(bodyText: string): FormattedError[] {
  try {
    const body = JSON.parse(bodyText) as { errors?: unknown };
    return Array.isArray(body.errors) ? (body.errors as FormattedError[]) : [];
  } catch {
    return [];
  }
}

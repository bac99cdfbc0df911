import { GraphQLError, type GraphQLFormattedError } from "graphql";

/** The one list of error codes a client can see in `extensions.code`. */
export enum ErrorCode {
  BAD_USER_INPUT = "BAD_USER_INPUT",
  UNAUTHENTICATED = "UNAUTHENTICATED",
  FORBIDDEN = "FORBIDDEN",
  NOT_FOUND = "NOT_FOUND",
  CONFLICT = "CONFLICT",
  /** The request is well formed but needs something that does not exist yet (e.g. a deployed model). */
  FAILED_PRECONDITION = "FAILED_PRECONDITION",
  PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE",
  RATE_LIMITED = "RATE_LIMITED",
  /** A per-user limit (stored bytes, concurrent jobs) refuses what the request would add. */
  QUOTA_EXCEEDED = "QUOTA_EXCEEDED",
  SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR",
}

const httpStatus: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FAILED_PRECONDITION: 400,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 403,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** An error whose message is written for the person who caused it. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }

  get httpStatus(): number {
    return httpStatus[this.code];
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, details);
export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what} not found`);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new AppError(ErrorCode.CONFLICT, message, details);
export const unauthenticated = (message = "Sign in: send `Authorization: Bearer <token>`") =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);
export const failedPrecondition = (message: string, details?: Record<string, unknown>) =>
  new AppError(ErrorCode.FAILED_PRECONDITION, message, details);
export const forbidden = (message: string) => new AppError(ErrorCode.FORBIDDEN, message);
export const payloadTooLarge = (message: string) => new AppError(ErrorCode.PAYLOAD_TOO_LARGE, message);
export const serviceUnavailable = (message: string) => new AppError(ErrorCode.SERVICE_UNAVAILABLE, message);
/** `retryAfterSeconds` (≥ 1) also leaves as the HTTP `Retry-After` header. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AppError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });

const knownCodes = new Set<string>(Object.values(ErrorCode));

/** The HTTP status of one of our codes as it appears in `extensions.code`; undefined for any other. */
export const httpStatusOfCode = (code: unknown): number | undefined =>
  typeof code === "string" && knownCodes.has(code) ? httpStatus[code as ErrorCode] : undefined;

/** Codes graphql-js and Apollo assign themselves, mapped onto ours. */
const frameworkCodes: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: ErrorCode.BAD_USER_INPUT,
  GRAPHQL_VALIDATION_FAILED: ErrorCode.BAD_USER_INPUT,
  BAD_REQUEST: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_FOUND: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_SUPPORTED: ErrorCode.BAD_USER_INPUT,
  OPERATION_RESOLUTION_FAILURE: ErrorCode.BAD_USER_INPUT,
};

/** Turns anything thrown into an AppError; never throws. */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof GraphQLError && error.originalError) return toAppError(error.originalError);
  const { code, status, type, limit, message } = (error ?? {}) as HttpMiddlewareError;
  // The request-body middleware (body-parser's JSON limit, graphql-upload-minimal's file and
  // field limits) say "too large" with status 413.
  if (code === "PAYLOAD_TOO_LARGE" || status === 413) {
    return payloadTooLarge(
      type === "entity.too.large"
        ? `The request body is larger than the limit of ${limit} bytes; send files as a multipart upload`
        : String(message),
    );
  }
  // They, and Express's router for a URL that does not decode, follow the http-errors convention:
  // a 4xx `status` blames the request.
  if (typeof status === "number" && status >= 400 && status < 500) {
    return badInput(
      type === "entity.parse.failed" ? `The request body is not valid JSON: ${message}` : String(message),
    );
  }
  return null;
}

interface HttpMiddlewareError {
  code?: unknown;
  status?: unknown;
  /** body-parser's kind of failure, e.g. `entity.parse.failed`. */
  type?: unknown;
  limit?: unknown;
  message?: unknown;
}

/**
 * The single normaliser for GraphQL errors: every error leaves with a known `extensions.code`;
 * unexpected ones are masked unless `exposeInternal`.
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  exposeInternal: boolean,
  onUnexpected: (error: unknown) => void = () => {},
): GraphQLFormattedError {
  try {
    const appError = toAppError(error);
    if (appError) {
      return {
        ...formatted,
        message: appError.message,
        extensions: { ...appError.details, code: appError.code, http: { status: appError.httpStatus } },
      };
    }
    const given = String(formatted.extensions?.code ?? "");
    if (knownCodes.has(given) && given !== ErrorCode.INTERNAL_SERVER_ERROR) {
      return { ...formatted, extensions: { ...formatted.extensions, code: given } };
    }
    const mapped = frameworkCodes[given];
    if (mapped) return { ...formatted, extensions: { ...formatted.extensions, code: mapped } };
    // graphql-js reports variable coercion errors without an originalError.
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (error instanceof GraphQLError && !original) {
      return { ...formatted, extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    onUnexpected(original ?? error);
    return {
      message: exposeInternal ? formatted.message : "Unexpected error.",
      locations: formatted.locations,
      path: formatted.path,
      // Exposed, its other extensions stay: Apollo's `stacktrace` among them.
      extensions: exposeInternal
        ? { ...formatted.extensions, code: ErrorCode.INTERNAL_SERVER_ERROR }
        : { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  } catch {
    return { message: "Unexpected error.", extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
}

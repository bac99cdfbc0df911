/**
 * What went wrong, by the name of the gRPC status a client gets for it: the KServe protocol's
 * vocabulary, so that Triton's answers can pass through unchanged. The transport turns the name
 * into the status number (kserve/errors.ts); nothing below it needs gRPC.
 */
export type TierErrorCode =
  | "CANCELLED"
  | "UNKNOWN"
  | "INVALID_ARGUMENT"
  | "DEADLINE_EXCEEDED"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "PERMISSION_DENIED"
  | "RESOURCE_EXHAUSTED"
  | "FAILED_PRECONDITION"
  | "ABORTED"
  | "OUT_OF_RANGE"
  | "UNIMPLEMENTED"
  | "INTERNAL"
  | "UNAVAILABLE"
  | "DATA_LOSS"
  | "UNAUTHENTICATED";

/**
 * An error the tier answers with on purpose: its code is the status the client gets and its
 * message names what was at fault, what was expected and what came.
 */
export class TierError extends Error {
  constructor(
    readonly code: TierErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const invalidArgument = (message: string) => new TierError("INVALID_ARGUMENT", message);
export const notFound = (message: string) => new TierError("NOT_FOUND", message);
export const failedPrecondition = (message: string) => new TierError("FAILED_PRECONDITION", message);
export const resourceExhausted = (message: string) => new TierError("RESOURCE_EXHAUSTED", message);
export const unavailable = (message: string) => new TierError("UNAVAILABLE", message);
export const internal = (message: string) => new TierError("INTERNAL", message);
export const cancelled = (message: string) => new TierError("CANCELLED", message);
export const unimplemented = (message: string) => new TierError("UNIMPLEMENTED", message);

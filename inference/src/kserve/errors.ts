import * as grpc from "@grpc/grpc-js";

/**
 * An error the tier answers with on purpose: its status is the gRPC code the client gets and its
 * message names what was at fault, what was expected and what came.
 */
export class TierError extends Error {
  constructor(
    readonly status: grpc.status,
    message: string,
  ) {
    super(message);
    this.name = grpc.status[status] ?? "TierError";
  }
}

export const invalidArgument = (message: string) => new TierError(grpc.status.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new TierError(grpc.status.NOT_FOUND, message);
export const failedPrecondition = (message: string) =>
  new TierError(grpc.status.FAILED_PRECONDITION, message);
export const resourceExhausted = (message: string) => new TierError(grpc.status.RESOURCE_EXHAUSTED, message);
export const unavailable = (message: string) => new TierError(grpc.status.UNAVAILABLE, message);
export const internal = (message: string) => new TierError(grpc.status.INTERNAL, message);
export const cancelled = (message: string) => new TierError(grpc.status.CANCELLED, message);
export const unimplemented = (message: string) => new TierError(grpc.status.UNIMPLEMENTED, message);

/**
 * The one place errors become gRPC statuses. Anything that is not a TierError is a bug in the
 * tier: the client gets INTERNAL without the internals, and `onUnexpected` sees the real error.
 */
export function toServiceError(
  error: unknown,
  onUnexpected: (error: unknown) => void,
): Partial<grpc.StatusObject> & { code: grpc.status } {
  if (error instanceof TierError) return { code: error.status, details: error.message };
  onUnexpected(error);
  return { code: grpc.status.INTERNAL, details: "The inference tier failed unexpectedly; see its logs" };
}

import * as grpc from "@grpc/grpc-js";
import { tierErrorTrailer } from "@tessera/proto/tier";
import { AppError, ErrorCode } from "../errors";

/**
 * The one mapping from the tier's gRPC status codes to the codes a GraphQL client sees.
 *
 * RESOURCE_EXHAUSTED means a model's request queue is full (or a message over the size limit):
 * the request was refused without being run and the same request can succeed a moment later, so
 * it is SERVICE_UNAVAILABLE (HTTP 503, retry later) rather than a fault of the input.
 */
const codeByStatus: Partial<Record<grpc.status, ErrorCode>> = {
  [grpc.status.INVALID_ARGUMENT]: ErrorCode.BAD_USER_INPUT,
  [grpc.status.OUT_OF_RANGE]: ErrorCode.BAD_USER_INPUT,
  [grpc.status.FAILED_PRECONDITION]: ErrorCode.BAD_USER_INPUT,
  [grpc.status.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [grpc.status.ALREADY_EXISTS]: ErrorCode.CONFLICT,
  [grpc.status.ABORTED]: ErrorCode.CONFLICT,
  [grpc.status.RESOURCE_EXHAUSTED]: ErrorCode.SERVICE_UNAVAILABLE,
  [grpc.status.UNAVAILABLE]: ErrorCode.SERVICE_UNAVAILABLE,
  [grpc.status.DEADLINE_EXCEEDED]: ErrorCode.SERVICE_UNAVAILABLE,
  [grpc.status.UNAUTHENTICATED]: ErrorCode.UNAUTHENTICATED,
  [grpc.status.PERMISSION_DENIED]: ErrorCode.FORBIDDEN,
};

export function errorCodeForGrpcStatus(status: grpc.status): ErrorCode {
  return codeByStatus[status] ?? ErrorCode.INTERNAL_SERVER_ERROR;
}

export function isGrpcError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && typeof (error as Partial<grpc.ServiceError>).code === "number";
}

/**
 * A failed tier call as an AppError. The tier writes its messages for the person who sent the
 * request (tensor names, expected and received), so they pass through; the transport failures get
 * a message saying what to do. `tierStatus` keeps the gRPC code for KServe-minded clients.
 */
export function tierCallError(
  error: grpc.ServiceError,
  context: { rpc: string; deadlineMs: number; tiersTried: readonly string[] },
): AppError {
  const code = errorCodeForGrpcStatus(error.code);
  const details = { tierStatus: grpc.status[error.code] ?? String(error.code) };
  switch (error.code) {
    case grpc.status.DEADLINE_EXCEEDED:
      return new AppError(
        code,
        `The inference tier did not answer ${context.rpc} within ${context.deadlineMs} ms; try again shortly`,
        details,
      );
    case grpc.status.UNAVAILABLE:
      // The tier's own UNAVAILABLE (a model still loading there) speaks for itself.
      if ((error.metadata?.get(tierErrorTrailer).length ?? 0) > 0) {
        return new AppError(code, `${error.details}; try again shortly`, details);
      }
      return new AppError(
        code,
        `No inference tier could be reached (tried ${context.tiersTried.join(", ")}: ${error.details}); try again shortly`,
        details,
      );
    default:
      return new AppError(code, error.details || `The inference tier failed ${context.rpc}`, details);
  }
}

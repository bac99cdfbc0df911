import * as grpc from "@grpc/grpc-js";
import { tierErrorTrailer } from "@tessera/proto/tier";
import { TierError, type TierErrorCode } from "../runtime/errors";

/**
 * The one place errors become gRPC statuses. Anything that is not a TierError is a bug in the
 * tier: the client gets INTERNAL without the internals, and `onUnexpected` sees the real error.
 */
export function toServiceError(
  error: unknown,
  onUnexpected: (error: unknown) => void,
): Partial<grpc.StatusObject> & { code: grpc.status } {
  if (error instanceof TierError) {
    const metadata = new grpc.Metadata();
    metadata.set(tierErrorTrailer, error.code);
    return { code: grpc.status[error.code], details: error.message, metadata };
  }
  onUnexpected(error);
  return { code: grpc.status.INTERNAL, details: "The inference tier failed unexpectedly; see its logs" };
}

/** The TierErrorCode of a status another KServe server answered; UNKNOWN for a number gRPC does not name. */
export function tierErrorCode(status: number): TierErrorCode {
  const name = grpc.status[status];
  return name && name !== "OK" ? (name as TierErrorCode) : "UNKNOWN";
}

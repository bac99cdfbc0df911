import { AppError, ErrorCode, rateLimited } from "../../errors";

/** Why a remote call failed, as `extensions.reason` of a SERVICE_UNAVAILABLE error. */
export type RemoteFailureReason = "CIRCUIT_OPEN" | "TIMEOUT" | "BAD_RESPONSE" | "REMOTE_ERROR";

/**
 * A failed call to a remote endpoint. `tripsBreaker` is false for what says nothing about the
 * endpoint's health (a 4xx answer: the request was refused, the endpoint is up).
 */
export class RemoteCallError extends AppError {
  constructor(
    reason: RemoteFailureReason,
    message: string,
    readonly tripsBreaker: boolean,
  ) {
    super(ErrorCode.SERVICE_UNAVAILABLE, message, { reason });
  }
}

/** The endpoint answered 429: no call until `until`. */
export class RemoteRateLimitedError extends AppError {
  constructor(
    host: string,
    readonly until: Date,
  ) {
    const seconds = secondsUntil(until);
    super(ErrorCode.RATE_LIMITED, `${host} asked to wait ${seconds} s (429)`, { retryAfterSeconds: seconds });
  }
}

export const circuitOpen = (host: string, retryInSeconds: number) =>
  new RemoteCallError(
    "CIRCUIT_OPEN",
    `${host} failed repeatedly; calls are paused for up to ${retryInSeconds} s`,
    false,
  );

export const waitingForRetryAfter = (host: string, until: Date) =>
  rateLimited(`${host} asked to wait until ${until.toISOString()} (429 Retry-After)`, secondsUntil(until));

/** Whole seconds (at least 1), as a Retry-After header states them. */
export function secondsUntil(when: Date | number, now = Date.now()): number {
  return Math.max(1, Math.ceil((Number(when) - now) / 1000));
}

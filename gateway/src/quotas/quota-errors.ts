import { AppError, ErrorCode, rateLimited } from "../errors";

/** Which limit refused, as `extensions.quota` names it. */
export type QuotaName = "storedBytes" | "concurrentJobs" | "expensiveRequestsPerMinute";

/** QUOTA_EXCEEDED naming the limit, what is used and what the request would add. */
export function quotaExceeded(
  quota: QuotaName,
  message: string,
  numbers: { limit: number; used: number },
): AppError {
  return new AppError(ErrorCode.QUOTA_EXCEEDED, message, { quota, ...numbers });
}

/** RATE_LIMITED with `retryAfterSeconds` (and the HTTP Retry-After header) naming the limit. */
export function expensiveRateLimited(limit: number, retryAfterSeconds: number): AppError {
  const error = rateLimited(
    `Too many expensive operations (uploads, training starts, tier jobs): your limit is ${limit} per minute; ` +
      `try again in ${retryAfterSeconds} s`,
    retryAfterSeconds,
  );
  Object.assign(error.details, { quota: "expensiveRequestsPerMinute" satisfies QuotaName, limit });
  return error;
}

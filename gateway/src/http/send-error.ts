import type { Response } from "express";
import { ErrorCode, toAppError } from "../errors";
import type { Logger } from "../logger";

/** Errors of plain HTTP routes: the same codes as GraphQL, as JSON with the matching status. */
export function sendError(res: Response, error: unknown, logger: Logger): void {
  const appError = toAppError(error);
  if (!appError) logger.error({ err: error }, "unexpected error in an HTTP route");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = appError?.httpStatus ?? 500;
  const code = appError?.code ?? ErrorCode.INTERNAL_SERVER_ERROR;
  const message = appError?.message ?? "Unexpected error.";
  res.status(status).json({ error: { code, message } });
}

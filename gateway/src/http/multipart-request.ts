import type { IncomingMessage } from "node:http";
import type { ReadStream } from "node:fs";
import { PassThrough, type Readable } from "node:stream";
import type { RequestHandler } from "express";
import { processRequest, Upload, type FileUpload, type UploadOptions } from "graphql-upload-minimal";
import { badInput, ErrorCode, toAppError, type AppError } from "../errors";

const SPEC_URL = "https://github.com/jaydenseric/graphql-multipart-request-spec";

/**
 * GraphQL multipart requests (file uploads), parsed by graphql-upload-minimal, with what it leaves
 * to its caller done here once for every resolver: every failure of the request's form is a typed
 * error (BAD_USER_INPUT, or PAYLOAD_TOO_LARGE for its limits) naming the variable its file was
 * for, never a plain Error that would answer INTERNAL_SERVER_ERROR, and never a crash.
 */
export function multipartRequests(options: UploadOptions): RequestHandler {
  return (req, res, next) => {
    if (!req.is("multipart/form-data")) return next();
    keepParserErrorsHandled(req);
    processRequest(req, res, options).then(
      (operations) => {
        try {
          nameUploads(operations);
          req.body = operations;
          next();
        } catch (error) {
          next(error);
        }
      },
      (error: unknown) => next(requestError(error)),
    );
  };
}

/**
 * graphql-upload-minimal (1.6.4) stops busboy after its first parse error with a bare `destroy()`,
 * on which busboy emits a second error ("Unexpected end of form") that nothing listens to: one
 * malformed part header would crash the process. The parser is private to processRequest, but it
 * is the one stream the request is piped into; processRequest already handles its first error.
 */
function keepParserErrorsHandled(req: IncomingMessage): void {
  const pipe = req.pipe.bind(req);
  req.pipe = <T extends NodeJS.WritableStream>(destination: T, pipeOptions?: { end?: boolean }): T => {
    destination.on("error", () => {});
    return pipe(destination, pipeOptions);
  };
}

/** Why the form itself (not one file of it) was refused. */
function requestError(error: unknown): AppError {
  const typed = toAppError(error);
  if (typed) return typed;
  // processRequest's one 500: neither `operations` nor `map` arrived.
  if ((error as { status?: unknown } | null)?.status === 500) {
    return badInput(`The multipart request has no "operations" and "map" fields (${SPEC_URL})`);
  }
  // busboy's own errors ("Malformed part header", "Unexpected end of form") are plain Errors.
  return badInput(`The multipart request is malformed: ${messageOf(error)}`);
}

/**
 * processRequest puts an Upload wherever `map` says a file goes. Each gets the name of that place
 * (`$files.0` for `variables.files.0`) for its errors; one file mapped to two places is refused,
 * as its bytes can be read only once.
 */
function nameUploads(operations: unknown): void {
  const placed = new Map<Upload, string>();
  const pending: Array<[unknown, string[]]> = [[operations, []]];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (value instanceof Upload) {
      const field = fieldName(path);
      const earlier = placed.get(value);
      if (earlier !== undefined) {
        throw badInput(
          `The multipart map puts one file at both "${earlier}" and "${field}"; send a file part for each`,
          { field },
        );
      }
      placed.set(value, field);
    } else if (value !== null && typeof value === "object") {
      // Reversed onto the stack, so places are met in the order the client wrote them.
      for (const [key, child] of Object.entries(value).reverse()) pending.push([child, [...path, key]]);
    }
  }
  for (const [upload, field] of placed) {
    const named = upload.promise.then(
      (file) => checkedFile(file, field),
      (error: unknown) => {
        throw fileError(error, field, "did not arrive");
      },
    );
    // As graphql-upload-minimal does for its own promise: a file no resolver awaits may fail unseen.
    named.catch(() => {});
    upload.promise = named;
  }
}

function fieldName(path: string[]): string {
  return path[0] === "variables" ? `$${path.slice(1).join(".")}` : path.join(".");
}

function checkedFile(file: FileUpload, field: string): FileUpload {
  // busboy decodes a percent-encoded `filename*`, so a name can hold what a header cannot.
  if (file.filename.includes("\0")) {
    throw badInput(`The name of the file sent for "${field}" contains a NUL byte (U+0000)`, { field });
  }
  return { ...file, createReadStream: () => typedStream(file, field) };
}

/**
 * The file's bytes, failing with a typed error when the request breaks off in the middle of them
 * (busboy and processRequest end the file with their own untyped errors).
 */
function typedStream(file: FileUpload, field: string): ReadStream {
  let source: Readable;
  try {
    source = file.createReadStream() as unknown as Readable;
  } catch (error) {
    throw fileError(error, field, "broke off");
  }
  const typed = new PassThrough();
  // A file cut at the size limit ends like a whole one; its readers watch for `limit`.
  source.once("limit", () => typed.emit("limit"));
  source.once("error", (error) => typed.destroy(fileError(error, field, "broke off")));
  typed.once("close", () => {
    source.unpipe(typed);
    if (!source.readableEnded) source.destroy();
  });
  // Like busboy's own file streams: an error no reader waits for must not crash the process.
  typed.on("error", () => {});
  return source.pipe(typed) as unknown as ReadStream;
}

function fileError(error: unknown, field: string, what: string): AppError {
  const typed = toAppError(error);
  if (typed && typed.code !== ErrorCode.BAD_USER_INPUT) return typed;
  return badInput(`The file for "${field}" ${what}: ${typed?.message ?? messageOf(error)}`, { field });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

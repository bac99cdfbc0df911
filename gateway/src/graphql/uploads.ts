import type { Readable } from "node:stream";
import type { FileUpload } from "graphql-upload-minimal";
import { payloadTooLarge } from "../errors";
import type { IncomingFile } from "../blobs/ingest";

/**
 * graphql-upload-minimal truncates a file at its size limit and only emits `limit`; that must become
 * an error, or a truncated file would be stored as if complete.
 */
export function incomingUpload(upload: Promise<FileUpload>, maxBytes: number, path?: string): IncomingFile {
  return async () => {
    const file = await upload;
    const stream = file.createReadStream() as unknown as Readable;
    stream.once("limit", () =>
      stream.destroy(
        payloadTooLarge(`"${file.filename}" is larger than the upload limit of ${maxBytes} bytes`),
      ),
    );
    const contentType = file.mimetype && file.mimetype !== "application/octet-stream" ? file.mimetype : null;
    return { path: path ?? file.filename, contentType, stream };
  };
}

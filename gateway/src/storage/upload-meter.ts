import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { badInput, payloadTooLarge } from "../errors";
import type { ByteRange } from "./blob-store";
import { formatBytes } from "./format-bytes";

/** What a stream piped through `uploadMeter` turned out to be, once it has ended. */
export interface MeteredUpload {
  /** Counts and hashes the bytes on their way; fails with PAYLOAD_TOO_LARGE past `maxBytes`. */
  meter: Transform;
  sizeBytes(): number;
  sha256(): string;
}

/** The pass-through every blob store puts an upload through: its size, its sha256 and the limit. */
export function uploadMeter(maxBytes: number): MeteredUpload {
  const hash = createHash("sha256");
  let sizeBytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.length;
      if (sizeBytes > maxBytes) {
        const limit = `${formatBytes(maxBytes)} (${maxBytes} bytes)`;
        callback(payloadTooLarge(`The upload is larger than the limit of ${limit}`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { meter, sizeBytes: () => sizeBytes, sha256: () => hash.digest("hex") };
}

/** Inclusive offsets inside a blob of `sizeBytes`, else BAD_USER_INPUT. */
export function assertRange({ start, end }: ByteRange, sizeBytes: number): void {
  const valid = Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start <= end;
  if (!valid || end >= sizeBytes) {
    throw badInput(`Byte range ${start}-${end} does not fit in a blob of ${sizeBytes} bytes`);
  }
}

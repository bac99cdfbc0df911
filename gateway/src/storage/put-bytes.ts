import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { BlobStore, PutBlobOptions, StoredBlob } from "./blob-store";

/**
 * Stores bytes already in memory, hashed first so a store that can look for them cheaply (S3: one
 * HEAD) skips the upload when they are stored already.
 */
export function putBytes(
  store: BlobStore,
  bytes: Buffer,
  options: Omit<PutBlobOptions, "knownSha256"> = {},
): Promise<StoredBlob> {
  const knownSha256 = createHash("sha256").update(bytes).digest("hex");
  return store.put(Readable.from([bytes]), { ...options, knownSha256 });
}

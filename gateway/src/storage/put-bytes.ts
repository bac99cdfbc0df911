import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { BlobStore, PutBlobOptions, StoredBlob } from "./blob-store";

/**
 * Stores bytes already in memory, hashed first (or with the caller's `sha256` of them) so a store
 * that can look for them cheaply skips the write when they are stored already: S3 with one HEAD,
 * the local store with a stat and a touch.
 */
export function putBytes(
  store: BlobStore,
  bytes: Buffer,
  options: Omit<PutBlobOptions, "knownSha256" | "knownSizeBytes"> = {},
  sha256 = createHash("sha256").update(bytes).digest("hex"),
): Promise<StoredBlob> {
  return store.put(Readable.from([bytes]), { ...options, knownSha256: sha256, knownSizeBytes: bytes.length });
}

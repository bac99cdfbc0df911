import type { Readable } from "node:stream";
import { badInput } from "../errors";

export interface PutBlobOptions {
  /** The upload is aborted with PAYLOAD_TOO_LARGE as soon as more bytes than this arrive. */
  maxBytes?: number;
  /** Aborting discards everything written so far; the put rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Skips this put's own flushes to disk, so a batch of small blobs costs one flush instead of two
   * per blob. The blob is readable under its hash before it is durable: the caller must pass its
   * hash to `syncPending` before anything records it (a row that names a blob lost in a crash would
   * point at nothing).
   */
  deferSync?: boolean;
  /**
   * The bytes' sha256, when the caller has them in memory and hashed them already (`putBytes`): a
   * store where writing costs more than asking (S3) skips the upload when the blob is there. The
   * put still refuses bytes that do not match it.
   */
  knownSha256?: string;
  /**
   * With `knownSha256`, the bytes' length: lets a local store tell its complete copy from a
   * crash-truncated one without reading the bytes, so a stored blob costs a stat and a touch.
   */
  knownSizeBytes?: number;
}

export interface StoredBlob {
  sha256: string;
  sizeBytes: number;
  /** False when identical content was already stored: the blob is shared, not copied. */
  created: boolean;
}

/** Inclusive byte offsets, as in an HTTP `Range: bytes=start-end` header. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobStat {
  sizeBytes: number;
}

export interface ListedBlob {
  sha256: string;
  sizeBytes: number;
  /** When the blob was last put: a put of content already stored refreshes it. */
  modifiedAt: Date;
}

/** What a clean-up removed, for its log line. */
export interface RemovedFiles {
  names: string[];
  sizeBytes: number;
}

/**
 * Immutable content addressed by its sha256. Local disk today; an object store (S3) can implement
 * the same contract because nothing here assumes a file system.
 */
export interface BlobStore {
  /**
   * Streams `source` into the store; nothing is visible under the hash until every byte is
   * durable. Storing content that is already there refreshes its `modifiedAt`, so the orphan sweep
   * counts its grace from the latest upload that still needs the blob.
   */
  put(source: Readable, options?: PutBlobOptions): Promise<StoredBlob>;
  /** Rejects with NOT_FOUND before any byte is sent when the blob does not exist. */
  openRead(sha256: string, range?: ByteRange): Promise<Readable>;
  stat(sha256: string): Promise<BlobStat | null>;
  has(sha256: string): Promise<boolean>;
  /** True when a blob was removed, false when there was none. */
  delete(sha256: string): Promise<boolean>;
  /** Every blob, in ascending order of sha256 (the orphan sweep merges it with the Blob rows). */
  list(): AsyncIterable<ListedBlob>;
  /**
   * Removes what uploads cut short by a crash left behind (partial files, unfinished multipart
   * uploads) that nothing has written to since `olderThan`.
   */
  removeAbandonedUploads(olderThan: Date): Promise<RemovedFiles>;
  /**
   * Makes the named blobs, put with `deferSync`, durable (their bytes and their names); resolves
   * once they would survive a crash. Blobs put without `deferSync` are durable already.
   */
  syncPending(sha256s: readonly string[]): Promise<void>;
  /**
   * A URL the client may fetch the blob from directly (a presigned object-store URL) instead of
   * through the gateway; absent or null → the gateway streams it. Asked only after the caller has
   * authorised the download.
   */
  directDownloadUrl?(
    sha256: string,
    options: { fileName?: string; contentType?: string },
  ): Promise<string | null>;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/** Only 64 lowercase hex characters are accepted, so a hash can never name a path outside the store. */
export function assertSha256(sha256: string): void {
  if (typeof sha256 !== "string" || !sha256Pattern.test(sha256)) {
    throw badInput(`Expected a sha256 of 64 lowercase hex characters, got ${JSON.stringify(sha256)}`);
  }
}

/**
 * The error a put settles with: the abort's own reason once its signal has fired (a stream
 * pipeline reports an abort as its own AbortError, which would hide why the caller aborted).
 */
export function putFailure(error: unknown, signal: AbortSignal | undefined): unknown {
  return signal?.aborted ? signal.reason : error;
}

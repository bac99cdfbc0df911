import { Readable } from "node:stream";
import type { ReadableStream } from "node:stream/web";
import mime from "mime-types";
import { AppError, ErrorCode, payloadTooLarge, serviceUnavailable } from "../errors";
import type { Logger } from "../logger";
import type { BlobStore } from "../storage/blob-store";
import { formatBytes } from "../storage/format-bytes";
import type { FetchedResponse, ImportHttp, ImportOptions } from "./import-http";

export type ImportBlobStore = Pick<BlobStore, "put" | "delete">;

/** One file an import stored, ready to be registered as part of a model version. */
export interface ImportedFile {
  /** Relative path inside the version, forward slashes. */
  path: string;
  sha256: string;
  sizeBytes: number;
  contentType: string;
  /** True when this import stored the blob; false when identical content was already there. */
  created: boolean;
}

export interface ImportLimits {
  /** Largest single file (TESSERA_MAX_UPLOAD_BYTES). */
  maxFileBytes: number;
  /** Most bytes the whole import may bring. */
  maxTotalBytes: number;
}

export interface ExpectedContent {
  /** Size the source announced ahead (the Hub's listing); checked against what arrives. */
  sizeBytes: number | null;
  /** The Hub's LFS sha256, when it gave one. */
  sha256: string | null;
}

/**
 * The blobs one import brought in. A failure anywhere calls `discard`, so nothing half-imported
 * stays behind.
 */
export class ImportedBlobs {
  private readonly storedHashes: string[] = [];
  private readonly createdHashes: string[] = [];
  private totalBytes = 0;

  constructor(
    private readonly blobs: ImportBlobStore,
    private readonly http: ImportHttp,
    private readonly limits: ImportLimits,
    private readonly logger: Logger,
    private readonly options: Pick<ImportOptions, "signal" | "releaseBlobs"> = {},
  ) {}

  /** Checks announced sizes against the limits before a single byte is downloaded. */
  checkAnnounced(files: readonly { path: string; sizeBytes: number }[]): void {
    let total = 0;
    for (const file of files) {
      this.checkFileSize(file.path, file.sizeBytes);
      total += file.sizeBytes;
    }
    if (total > this.limits.maxTotalBytes) {
      throw payloadTooLarge(
        `The selected files add up to ${formatBytes(total)}; one import may bring at most ` +
          `${formatBytes(this.limits.maxTotalBytes)}. Narrow the selection with allowPatterns or ignorePatterns.`,
      );
    }
  }

  /** Streams a response body into the blob store, checking length, limits and the expected hash. */
  async save(fetched: FetchedResponse, path: string, expected: ExpectedContent): Promise<ImportedFile> {
    const { response, url } = fetched;
    const announced = announcedLength(response);
    if (expected.sizeBytes !== null && announced !== null && announced !== expected.sizeBytes) {
      await response.body?.cancel();
      throw serviceUnavailable(
        `${url.host} announced ${announced} bytes for "${path}" but the listing says ${expected.sizeBytes}; retry the import`,
      );
    }
    const expectedBytes = expected.sizeBytes ?? announced;
    if (expectedBytes !== null) {
      try {
        this.checkFileSize(path, expectedBytes);
        this.checkTotal(path, this.totalBytes + expectedBytes);
      } catch (error) {
        await response.body?.cancel();
        throw error;
      }
    }
    const remaining = this.limits.maxTotalBytes - this.totalBytes;
    const maxBytes = Math.min(this.limits.maxFileBytes, remaining);
    let networkFailure: unknown = null;
    const source = Readable.from(
      countBytes(response.body, expectedBytes, path, url, (error) => (networkFailure = error)),
      { objectMode: false },
    );
    let stored;
    try {
      stored = await this.blobs.put(source, { maxBytes, signal: this.options.signal });
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.PAYLOAD_TOO_LARGE) {
        throw maxBytes === this.limits.maxFileBytes
          ? this.fileTooLarge(path, null)
          : this.totalTooLarge(path);
      }
      if (networkFailure !== null) throw this.http.networkError(url, networkFailure);
      throw error;
    }
    this.storedHashes.push(stored.sha256);
    if (stored.created) this.createdHashes.push(stored.sha256);
    this.totalBytes += stored.sizeBytes;
    if (expected.sha256 !== null && expected.sha256.toLowerCase() !== stored.sha256) {
      throw serviceUnavailable(
        `"${path}" from ${url.host} has sha256 ${stored.sha256}, but the Hub lists ${expected.sha256}; retry the import`,
      );
    }
    return {
      path,
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
      contentType: contentTypeFor(path, response.headers.get("content-type")),
      created: stored.created,
    };
  }

  /**
   * Hands every stored blob to `releaseBlobs` when given (it knows which are referenced), else
   * deletes the blobs this import created. Never throws, so the original failure stays visible.
   */
  async discard(): Promise<void> {
    const { releaseBlobs } = this.options;
    const hashes = [...new Set(releaseBlobs ? this.storedHashes : this.createdHashes)];
    this.storedHashes.length = 0;
    this.createdHashes.length = 0;
    const removals = releaseBlobs
      ? [() => releaseBlobs(hashes)]
      : hashes.map((hash) => () => this.blobs.delete(hash));
    for (const remove of removals) {
      try {
        await remove();
      } catch (error) {
        this.logger.warn({ err: error, hashes }, "could not remove a blob of a failed import");
      }
    }
  }

  private checkFileSize(path: string, sizeBytes: number): void {
    if (sizeBytes > this.limits.maxFileBytes) throw this.fileTooLarge(path, sizeBytes);
  }

  private checkTotal(path: string, totalBytes: number): void {
    if (totalBytes > this.limits.maxTotalBytes) throw this.totalTooLarge(path);
  }

  private fileTooLarge(path: string, sizeBytes: number | null): AppError {
    const size = sizeBytes === null ? "larger than" : `${formatBytes(sizeBytes)}, over`;
    return payloadTooLarge(
      `"${path}" is ${size} the limit of ${formatBytes(this.limits.maxFileBytes)} per file (TESSERA_MAX_UPLOAD_BYTES)`,
    );
  }

  private totalTooLarge(path: string): AppError {
    return payloadTooLarge(
      `The import passed ${formatBytes(this.limits.maxTotalBytes)}, the most one import may bring, at "${path}"`,
    );
  }
}

/**
 * Passes the body through while counting, so a body that ends early or runs long is caught even
 * when the connection closed cleanly. Failures of the network side are reported to `onNetworkFailure`.
 */
async function* countBytes(
  body: ReadableStream<Uint8Array> | null,
  expectedBytes: number | null,
  path: string,
  url: URL,
  onNetworkFailure: (error: unknown) => void,
): AsyncGenerator<Buffer> {
  let received = 0;
  const mismatch = () =>
    serviceUnavailable(
      `The download of "${path}" from ${url.host} ${received > (expectedBytes ?? 0) ? "ran past" : "stopped at"} ` +
        `${received} of ${expectedBytes} bytes; retry the import`,
    );
  const iterator = (body ?? emptyBody())[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (error) {
        onNetworkFailure(error);
        throw error;
      }
      if (next.done) break;
      received += next.value.byteLength;
      if (expectedBytes !== null && received > expectedBytes) throw mismatch();
      yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    }
  } finally {
    // Releases the connection when the store stops reading early (a limit, an abort).
    await iterator.return?.(undefined).catch(() => {});
  }
  if (expectedBytes !== null && received !== expectedBytes) throw mismatch();
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/** Content-Length, when it describes the bytes we will read (no content coding in between). */
function announcedLength(response: FetchedResponse["response"]): number | null {
  const encoding = response.headers.get("content-encoding");
  if (encoding && encoding !== "identity") return null;
  const raw = response.headers.get("content-length");
  if (raw === null || !/^\d+$/.test(raw.trim())) return null;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : null;
}

/** By extension first: servers and CDNs often label every model file application/octet-stream. */
function contentTypeFor(path: string, served: string | null): string {
  const byName = mime.lookup(path);
  if (byName) return byName;
  const mediaType = served?.split(";")[0]?.trim().toLowerCase();
  return mediaType && /^[\w.+-]+\/[\w.+-]+$/.test(mediaType) ? mediaType : "application/octet-stream";
}

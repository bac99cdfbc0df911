import type { Readable } from "node:stream";
import { badInput } from "../errors";
import type { BlobStore } from "../storage/blob-store";
import type { BlobReferences } from "./blob-references";

export interface OpenedFile {
  path: string;
  contentType: string | null;
  stream: Readable;
}

/**
 * A file on its way in (a multipart upload, a ZIP entry, an HTTP download). Opened lazily: a
 * multipart body delivers the next file only after the previous one was consumed.
 */
export type IncomingFile = () => Promise<OpenedFile>;

export interface IngestedFile {
  path: string;
  sha256: string;
  sizeBytes: number;
  contentType: string | null;
}

export interface IngestOptions {
  maxBytes: number;
  /** Normalises and validates each path; throws for a path that is not allowed. */
  checkPath: (path: string) => string;
  signal?: AbortSignal;
}

/**
 * Streams files into the blob store one after another. Empty files and duplicate paths are refused.
 * If anything fails, the blobs this call stored are released before the error propagates.
 */
export async function ingestFiles(
  store: BlobStore,
  references: BlobReferences,
  files: IncomingFile[],
  options: IngestOptions,
): Promise<IngestedFile[]> {
  const ingested: IngestedFile[] = [];
  const seen = new Set<string>();
  try {
    for (const next of files) {
      const file = await next();
      let path: string;
      try {
        path = options.checkPath(file.path);
        if (seen.has(path))
          throw badInput(`The file "${path}" appears twice; each path in a version must be unique`);
      } catch (error) {
        file.stream.resume();
        throw error;
      }
      seen.add(path);
      const stored = await store.put(file.stream, { maxBytes: options.maxBytes, signal: options.signal });
      ingested.push({
        path,
        sha256: stored.sha256,
        sizeBytes: stored.sizeBytes,
        contentType: file.contentType,
      });
      if (stored.sizeBytes === 0) throw badInput(`The file "${path}" is empty`, { path });
    }
    return ingested;
  } catch (error) {
    await references.release(ingested.map((f) => f.sha256));
    throw error;
  }
}

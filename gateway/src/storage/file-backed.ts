import type { BlobStore } from "./blob-store";

/**
 * A store whose blobs can be opened as local files, for readers that need random access (ZIP
 * central directories, ONNX Runtime). An object store would provide this through a local cache.
 */
export interface FileBackedBlobStore extends BlobStore {
  pathOf(sha256: string): string;
}

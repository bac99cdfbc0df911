import type { BlobStore } from "./blob-store";

/**
 * A store whose blobs can be read as local files, for readers that need random access (ZIP
 * central directories, ONNX Runtime): the local store's own file, or an object store's copy in a
 * bounded local cache.
 */
export interface FileBackedBlobStore extends BlobStore {
  /**
   * Runs `use` with the path of a local file holding the blob; the file stays there until `use`
   * settles, and must not be written to. Rejects with NOT_FOUND when the blob does not exist.
   */
  withLocalFile<T>(sha256: string, use: (filePath: string) => Promise<T>): Promise<T>;
}

import { Readable } from "node:stream";
import type { SafeZip, SafeZipEntry } from "../../archives/safe-zip";

/**
 * Images already read into memory (from Parquet rows), readable like a checked archive so
 * ingestImages decodes and stores them as it does a ZIP's.
 */
export class MemoryEntries implements SafeZip {
  readonly entries: SafeZipEntry[];
  readonly totalBytes: number;
  private readonly byPath = new Map<string, Uint8Array>();

  constructor(files: ReadonlyArray<{ path: string; bytes: Uint8Array }>) {
    const modifiedAt = new Date(0);
    this.entries = files.map((file) => {
      this.byPath.set(file.path, file.bytes);
      const size = file.bytes.byteLength;
      return { path: file.path, sizeBytes: size, compressedBytes: size, modifiedAt };
    });
    this.totalBytes = files.reduce((total, file) => total + file.bytes.byteLength, 0);
  }

  async openEntry(entry: SafeZipEntry): Promise<Readable> {
    const bytes = this.byPath.get(entry.path)!;
    return Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
  }

  close(): void {}
}

import { buffer } from "node:stream/consumers";
import type { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import yauzl from "yauzl";

export interface ZipEntry {
  name: string;
  bytes: Buffer;
  /** 0: stored, 8: deflated. */
  compressionMethod: number;
}

/** Every entry of a ZIP as yauzl (another tool's reader, with its CRC checks) reads it, in order. */
export function readZip(zip: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true }, (error, archive) => {
      if (error) return reject(error);
      const entries: ZipEntry[] = [];
      archive.on("entry", (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (openError, stream) => {
          if (openError) return reject(openError);
          buffer(stream as Readable).then((bytes) => {
            entries.push({ name: entry.fileName, bytes, compressionMethod: entry.compressionMethod });
            archive.readEntry();
          }, reject);
        });
      });
      archive.on("end", () => resolve(entries));
      archive.on("error", reject);
      archive.readEntry();
    });
  });
}

export interface LabelsRow {
  path: string;
  label: string;
  split: string;
  metadata: string;
}

/** labels.csv as csv-parse reads it: one object per row, keyed by the header. */
export function parseLabels(bytes: Buffer): LabelsRow[] {
  return parse(bytes, { columns: true }) as LabelsRow[];
}

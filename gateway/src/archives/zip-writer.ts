import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { badInput } from "../errors";
import { normalizeEntryPath } from "./entry-path";
import {
  centralDirectoryHeader,
  dataDescriptor,
  endRecords,
  localFileHeader,
  planZip,
  type ZipPlan,
} from "./zip-records";

export interface ZipSourceFile {
  /** Where the file lands when unzipped: a normalised relative path (see normalizeEntryPath). */
  path: string;
  /** Exact byte count `open()` yields; the archive's layout is fixed from these before streaming. */
  sizeBytes: number;
  /** Called when the file's turn comes, so only one source is open at a time. */
  open: () => Readable | Promise<Readable>;
  modifiedAt?: Date;
}

export interface ZipStreamOptions {
  /** Timestamp for files without their own `modifiedAt`; defaults to now. */
  modifiedAt?: Date;
}

const maxNameBytes = 0xffff;

/**
 * Emits a ZIP of `files` as it is built: stored entries, ZIP64 where sizes or offsets pass 4 GiB.
 * Backpressure reaches the sources, and destroying the returned stream destroys the open source.
 * The stream fails if a source yields a different number of bytes than its `sizeBytes`.
 */
export function createZipStream(files: readonly ZipSourceFile[], options: ZipStreamOptions = {}): Readable {
  const plan = layout(files, options);
  return Readable.from(emitZip(files, plan), { objectMode: false });
}

/** The exact length of the archive `createZipStream` emits for the same files: a Content-Length. */
export function zipStreamSize(files: readonly ZipSourceFile[]): number {
  return layout(files, {}).totalSize;
}

function layout(files: readonly ZipSourceFile[], options: ZipStreamOptions): ZipPlan {
  const defaultTime = options.modifiedAt ?? new Date();
  const seen = new Set<string>();
  for (const { path, sizeBytes } of files) {
    checkPath(path, seen);
    if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
      throw badInput(`File "${path}" has an invalid size: ${sizeBytes}`);
    }
  }
  return planZip(
    files.map((file) => ({
      name: file.path,
      sizeBytes: file.sizeBytes,
      modifiedAt: file.modifiedAt ?? defaultTime,
    })),
  );
}

/** Refuses to build an archive that a safe reader would reject, whatever the caller passes. */
function checkPath(path: string, seen: Set<string>): void {
  const normalized = normalizeEntryPath(path);
  if (normalized.isDirectory || normalized.path !== path) {
    throw badInput(`Cannot add ${JSON.stringify(path)} to a ZIP: expected a normalised relative file path`);
  }
  if (Buffer.byteLength(path) > maxNameBytes) {
    throw badInput(`Cannot add "${path.slice(0, 80)}…" to a ZIP: a path holds at most ${maxNameBytes} bytes`);
  }
  if (seen.has(path)) throw badInput(`Cannot add "${path}" to a ZIP twice`);
  seen.add(path);
}

async function* emitZip(files: readonly ZipSourceFile[], plan: ZipPlan): AsyncGenerator<Buffer> {
  const crcs: number[] = [];
  for (const [index, planned] of plan.files.entries()) {
    const file = files[index] as ZipSourceFile;
    yield localFileHeader(planned);
    const source = await file.open();
    let crc = 0;
    let bytes = 0;
    try {
      // Leaving this loop early (the consumer went away) returns the iterator, which destroys the source.
      for await (const chunk of source as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > file.sizeBytes) break;
        crc = crc32(chunk, crc);
        yield chunk;
      }
    } finally {
      source.destroy();
    }
    if (bytes !== file.sizeBytes) {
      throw new Error(
        `ZIP entry "${file.path}" was announced as ${file.sizeBytes} bytes but its source ` +
          `${bytes > file.sizeBytes ? "yielded more" : `ended after ${bytes}`}`,
      );
    }
    crcs.push(crc);
    yield dataDescriptor(planned, crc);
  }
  for (const [index, planned] of plan.files.entries()) {
    yield centralDirectoryHeader(planned, crcs[index] as number);
  }
  yield endRecords(plan);
}

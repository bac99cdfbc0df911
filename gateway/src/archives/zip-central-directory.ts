import yauzl from "yauzl";
import type { ArchiveLimits } from "../config";
import { badInput, payloadTooLarge } from "../errors";
import { formatBytes } from "../storage/format-bytes";
import { normalizeEntryPath } from "./entry-path";

/** One central-directory record that passed every check, with where its data may end. */
export interface CheckedEntry {
  raw: yauzl.Entry;
  /** The name as stored in the archive, for messages. */
  rawName: string;
  path: string;
  isDirectory: boolean;
  /** The next entry's local header (or the end of the file): this entry's data must stop before it. */
  dataLimit: number;
  /** The entry that starts at `dataLimit`, for messages. */
  nextName: string | null;
}

const stored = 0;
const deflated = 8;
const encryptedFlag = 0x1;
const fileTypeMask = 0o170000;
const regularFile = 0o100000;
const directory = 0o040000;
const symlink = 0o120000;
const dosDirectoryAttribute = 0x10;
const localHeaderBytes = 30;
// Small files of zeros or blank pixels legitimately compress beyond any sane ratio; a bomb needs size.
const ratioCheckFromBytes = 1024 * 1024;

/**
 * Reads and checks the whole central directory before anything is extracted, so an archive is
 * either rejected as a whole or its entries can be streamed without surprises.
 */
export async function readCentralDirectory(
  zipfile: yauzl.ZipFile,
  limits: ArchiveLimits,
): Promise<CheckedEntry[]> {
  if (zipfile.entryCount > limits.maxEntries) {
    throw payloadTooLarge(
      `The archive has ${zipfile.entryCount} entries; the limit is ${limits.maxEntries} entries`,
    );
  }
  const entries: CheckedEntry[] = [];
  const paths = new PathSet();
  let totalBytes = 0;
  for await (const raw of readEntries(zipfile)) {
    const rawName = yauzl.getFileNameLowLevel(
      raw.generalPurposeBitFlag,
      raw.fileNameRaw,
      raw.extraFields,
      true,
    );
    const normalized = normalizeEntryPath(rawName);
    const isDirectory = normalized.isDirectory || isDirectoryByAttributes(raw);
    const entry: CheckedEntry = {
      raw,
      rawName,
      path: normalized.path,
      isDirectory,
      dataLimit: zipfile.fileSize,
      nextName: null,
    };
    checkEntryKind(entry);
    if (isDirectory) {
      paths.addFolder(entry);
    } else {
      checkFileEntry(entry, limits);
      paths.addFile(entry);
      totalBytes += raw.uncompressedSize;
      if (totalBytes > limits.maxUncompressedBytes) {
        throw payloadTooLarge(
          `Archive entry ${JSON.stringify(rawName)} brings the uncompressed total to ${totalBytes} bytes; ` +
            `the limit is ${formatBytes(limits.maxUncompressedBytes)} (${limits.maxUncompressedBytes} bytes)`,
        );
      }
    }
    entries.push(entry);
  }
  setDataLimits(entries);
  return entries;
}

async function* readEntries(zipfile: yauzl.ZipFile): AsyncGenerator<yauzl.Entry> {
  const iterator = zipfile.eachEntry();
  for (;;) {
    let step: IteratorResult<yauzl.Entry>;
    try {
      step = await iterator.next();
    } catch (error) {
      throw badInput(`The archive's central directory is damaged: ${(error as Error).message}`);
    }
    if (step.done) return;
    yield step.value;
  }
}

function checkEntryKind({ raw, rawName }: Pick<CheckedEntry, "raw" | "rawName">): void {
  const shown = JSON.stringify(rawName);
  const fileType = (raw.externalFileAttributes >>> 16) & fileTypeMask;
  if (fileType === symlink) {
    throw badInput(`Archive entry ${shown} is a symbolic link; only files and folders are accepted`);
  }
  if (fileType !== 0 && fileType !== regularFile && fileType !== directory) {
    throw badInput(`Archive entry ${shown} is a device, pipe or socket; only files and folders are accepted`);
  }
  if (raw.generalPurposeBitFlag & encryptedFlag) {
    throw badInput(`Archive entry ${shown} is encrypted; upload an archive without a password`);
  }
}

function checkFileEntry(
  { raw, rawName }: Pick<CheckedEntry, "raw" | "rawName">,
  limits: ArchiveLimits,
): void {
  const shown = JSON.stringify(rawName);
  if (raw.compressionMethod !== stored && raw.compressionMethod !== deflated) {
    throw badInput(
      `Archive entry ${shown} uses compression method ${raw.compressionMethod}; ` +
        `only stored (0) and deflated (8) entries are supported`,
    );
  }
  if (raw.compressionMethod === stored && raw.compressedSize !== raw.uncompressedSize) {
    throw badInput(
      `Archive entry ${shown} is stored uncompressed but declares ${raw.uncompressedSize} bytes ` +
        `and holds ${raw.compressedSize}`,
    );
  }
  if (raw.uncompressedSize < ratioCheckFromBytes) return;
  const ratio = raw.uncompressedSize / raw.compressedSize;
  if (ratio > limits.maxCompressionRatio) {
    throw badInput(
      `Archive entry ${shown} expands ${Number.isFinite(ratio) ? Math.round(ratio) : "infinitely"}× ` +
        `(${formatBytes(raw.uncompressedSize)} from ${formatBytes(raw.compressedSize)}); ` +
        `the limit is ${limits.maxCompressionRatio}×, beyond which an entry is treated as a zip bomb`,
    );
  }
}

function isDirectoryByAttributes(raw: yauzl.Entry): boolean {
  const fileType = (raw.externalFileAttributes >>> 16) & fileTypeMask;
  return (
    fileType === directory || (fileType === 0 && (raw.externalFileAttributes & dosDirectoryAttribute) !== 0)
  );
}

/**
 * Local entries of an honest archive never share bytes. Overlapping ones let a few KiB of deflate
 * data be counted once per entry (the non-recursive zip bomb), so each entry must end (header plus
 * data, a lower bound) before the next begins; the exact end is checked when the entry is opened.
 */
function setDataLimits(entries: CheckedEntry[]): void {
  const byOffset = [...entries].sort(
    (a, b) => a.raw.relativeOffsetOfLocalHeader - b.raw.relativeOffsetOfLocalHeader,
  );
  byOffset.forEach((entry, index) => {
    const next = byOffset[index + 1];
    if (!next) return;
    const minimumEnd = entry.raw.relativeOffsetOfLocalHeader + localHeaderBytes + entry.raw.compressedSize;
    if (minimumEnd > next.raw.relativeOffsetOfLocalHeader) throw overlapping(entry.rawName, next.rawName);
    entry.dataLimit = next.raw.relativeOffsetOfLocalHeader;
    entry.nextName = next.rawName;
  });
}

export function overlapping(name: string, nextName: string): Error {
  return badInput(
    `Archive entries ${JSON.stringify(name)} and ${JSON.stringify(nextName)} overlap: ` +
      `overlapping entries are a zip bomb technique`,
  );
}

/** Paths seen so far: a path may be a file or a folder, once. */
class PathSet {
  private readonly files = new Map<string, string>();
  private readonly folders = new Set<string>();

  addFile({ path, rawName }: Pick<CheckedEntry, "path" | "rawName">): void {
    const shown = JSON.stringify(rawName);
    const earlier = this.files.get(path);
    if (earlier !== undefined) {
      throw badInput(`Archive entry ${shown} has the same path as ${JSON.stringify(earlier)}: "${path}"`);
    }
    if (this.folders.has(path)) throw badInput(`Archive entry ${shown} is both a file and a folder`);
    this.addParents(path, rawName);
    this.files.set(path, rawName);
  }

  addFolder({ path, rawName }: Pick<CheckedEntry, "path" | "rawName">): void {
    if (path === "") return;
    if (this.files.has(path)) {
      throw badInput(`Archive entry ${JSON.stringify(rawName)} is both a file and a folder`);
    }
    this.addParents(path, rawName);
    this.folders.add(path);
  }

  private addParents(path: string, rawName: string): void {
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
      const parent = path.slice(0, slash);
      if (this.files.has(parent)) {
        throw badInput(`Archive entry ${JSON.stringify(rawName)} is inside "${parent}", which is a file`);
      }
      this.folders.add(parent);
    }
  }
}

import { open as openFile } from "node:fs/promises";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { crc32 } from "node:zlib";
import yauzl from "yauzl";
import type { ArchiveLimits } from "../config";
import { AppError, badInput } from "../errors";
import { ReadAheadReader } from "./read-ahead-reader";
import { overlapping, readCentralDirectory, type CheckedEntry } from "./zip-central-directory";

/** A file inside a checked archive. Folders are not listed: their files carry the full path. */
export interface SafeZipEntry {
  /** Normalised: forward slashes, NFC, no `./`, never absolute, never `..`. */
  readonly path: string;
  /** Uncompressed size; reading the entry yields exactly this many bytes or fails. */
  readonly sizeBytes: number;
  readonly compressedBytes: number;
  readonly modifiedAt: Date;
}

export interface SafeZip {
  /** Files in central-directory order, all checked before this object exists. */
  readonly entries: readonly SafeZipEntry[];
  /** Sum of the entries' uncompressed sizes. */
  readonly totalBytes: number;
  /**
   * Streams one entry's content. The stream fails with BAD_USER_INPUT as soon as the data disagrees
   * with the central directory (more bytes than declared, fewer, wrong CRC-32, damaged deflate data).
   */
  openEntry(entry: SafeZipEntry): Promise<Readable>;
  /** Releases the file; streams already open finish first. */
  close(): void;
}

/**
 * One entry's bytes, whole: for entries already bounded (an image under TESSERA_MAX_IMAGE_BYTES, a
 * transforms file), the caller having checked `entry.sizeBytes`.
 */
export async function readZipEntry(zip: SafeZip, entry: SafeZipEntry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.openEntry(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks, entry.sizeBytes);
}

const zipSignatures = ["504b0304", "504b0506"];

/**
 * Opens a ZIP file and checks its whole central directory against `limits`, so that nothing is
 * written anywhere for an archive that will be rejected.
 */
export async function openSafeZip(filePath: string, limits: ArchiveLimits): Promise<SafeZip> {
  const zipfile = await openZipFile(filePath);
  try {
    return new CheckedZip(zipfile, await readCentralDirectory(zipfile, limits));
  } catch (error) {
    zipfile.close();
    throw error;
  }
}

async function openZipFile(filePath: string): Promise<yauzl.ZipFile> {
  const reader = await ReadAheadReader.open(filePath);
  try {
    // Names are decoded and checked by us: yauzl's own check would reject with its wording first.
    return await yauzl.fromRandomAccessReaderPromise(reader, reader.sizeBytes, {
      decodeStrings: false,
      validateEntrySizes: false,
      autoClose: false,
    });
  } catch (error) {
    reader.close(() => {});
    const head = await readHead(filePath);
    if (head.length === 0) throw badInput("The archive is empty; expected a ZIP file");
    if (!zipSignatures.includes(head.toString("hex"))) throw badInput("The archive is not a ZIP file");
    const message = (error as Error).message;
    if (message.startsWith("End of central directory record signature not found")) {
      throw badInput("The ZIP archive is truncated: its central directory (the end of the file) is missing");
    }
    throw badInput(`The ZIP archive is truncated or damaged: ${message}`);
  }
}

async function readHead(filePath: string): Promise<Buffer> {
  const handle = await openFile(filePath, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

class CheckedZip implements SafeZip {
  readonly entries: SafeZipEntry[] = [];
  readonly totalBytes: number;
  private readonly checked = new Map<SafeZipEntry, CheckedEntry>();

  constructor(
    private readonly zipfile: yauzl.ZipFile,
    checkedEntries: CheckedEntry[],
  ) {
    for (const checked of checkedEntries) {
      if (checked.isDirectory) continue;
      const entry: SafeZipEntry = {
        path: checked.path,
        sizeBytes: checked.raw.uncompressedSize,
        compressedBytes: checked.raw.compressedSize,
        modifiedAt: checked.raw.getLastModDate(),
      };
      this.entries.push(entry);
      this.checked.set(entry, checked);
    }
    this.totalBytes = this.entries.reduce((sum, entry) => sum + entry.sizeBytes, 0);
  }

  async openEntry(entry: SafeZipEntry): Promise<Readable> {
    const checked = this.checked.get(entry);
    if (!checked) throw new TypeError(`"${entry.path}" is not an entry of this archive`);
    if (!this.zipfile.isOpen) throw new Error(`Cannot open "${entry.path}": the archive is closed`);
    const { raw } = checked;
    let fileDataStart: number;
    try {
      ({ fileDataStart } = await this.zipfile.readLocalFileHeaderPromise(raw, { minimal: true }));
    } catch (error) {
      throw damaged(checked, error);
    }
    if (fileDataStart + raw.compressedSize > checked.dataLimit) {
      throw checked.nextName
        ? overlapping(checked.rawName, checked.nextName)
        : damaged(checked, "data runs past the end");
    }
    const data = await new Promise<Readable>((resolve, reject) => {
      const inflate = raw.compressionMethod !== 0;
      this.zipfile.openReadStreamLowLevel(
        fileDataStart,
        raw.compressedSize,
        0,
        raw.compressedSize,
        inflate,
        raw.uncompressedSize,
        (error, stream) => (error ? reject(damaged(checked, error)) : resolve(stream)),
      );
    });
    const verifier = new EntryVerifier(checked);
    data.on("error", (error) => verifier.destroy(damaged(checked, error)));
    // A consumer that stops early (or a verifier that failed) must stop the inflater too.
    verifier.on("close", () => data.destroy());
    // Inflating starts now, but the consumer may attach only after an await (a temp file to
    // create). A lying entry that fails before then must not be an 'error' event nobody listens
    // to, which ends the process: the error stays on the stream (`errored`), and pipeline() and
    // for-await, which every consumer uses, still throw it when they attach.
    verifier.on("error", () => {});
    return data.pipe(verifier);
  }

  close(): void {
    if (this.zipfile.isOpen) this.zipfile.close();
  }
}

/** Enforces the declared size while streaming, so a lying header cannot inflate past it. */
class EntryVerifier extends Transform {
  private bytes = 0;
  private crc = 0;

  constructor(private readonly entry: CheckedEntry) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const declared = this.entry.raw.uncompressedSize;
    if (this.bytes > declared) {
      callback(
        badInput(
          `Archive entry ${JSON.stringify(this.entry.rawName)} holds more than the ${declared} bytes ` +
            `its header declares: lying sizes are a zip bomb technique`,
        ),
      );
      return;
    }
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const declared = this.entry.raw.uncompressedSize;
    if (this.bytes < declared) {
      callback(damaged(this.entry, `it ends after ${this.bytes} of its declared ${declared} bytes`));
    } else if (this.crc !== this.entry.raw.crc32) {
      callback(damaged(this.entry, "its CRC-32 does not match its content"));
    } else {
      callback();
    }
  }
}

function damaged(entry: CheckedEntry, cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return badInput(`Archive entry ${JSON.stringify(entry.rawName)} is damaged: ${reason}`);
}

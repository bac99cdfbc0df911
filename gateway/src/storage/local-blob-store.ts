import { randomUUID } from "node:crypto";
import { execFile } from "node:child_process";
import fs, { createWriteStream } from "node:fs";
import {
  link,
  lstat,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  stat,
  unlink,
  utimes,
  type FileHandle,
} from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { notFound } from "../errors";
import {
  assertSha256,
  type BlobStat,
  type ByteRange,
  type ListedBlob,
  type PutBlobOptions,
  putFailure,
  type RemovedFiles,
  type StoredBlob,
} from "./blob-store";
import type { FileBackedBlobStore } from "./file-backed";
import { assertRange, uploadMeter } from "./upload-meter";

/**
 * Blobs on the local disk at `<root>/ab/cd/<sha256>`. Uploads land in `<root>/tmp` first, so a
 * half-written file never appears under a hash.
 */
const READ_CHUNK_BYTES = 1024 * 1024;
const shardPattern = /^[0-9a-f]{2}$/;
const blobNamePattern = /^[0-9a-f]{64}$/;

export class LocalBlobStore implements FileBackedBlobStore {
  private readonly tempDir: string;

  constructor(readonly root: string) {
    this.tempDir = path.join(root, "tmp");
  }

  /** For readers that need random access to the file (ZIP central directories, ONNX Runtime). */
  pathOf(sha256: string): string {
    assertSha256(sha256);
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** The lease is the blob's own file: a delete meanwhile leaves readers that opened it their bytes. */
  async withLocalFile<T>(sha256: string, use: (filePath: string) => Promise<T>): Promise<T> {
    if (!(await this.has(sha256))) throw notFound(`Blob ${sha256}`);
    return use(this.pathOf(sha256));
  }

  async put(source: Readable, options: PutBlobOptions = {}): Promise<StoredBlob> {
    try {
      return await this.putOnce(source, options);
    } catch (error) {
      throw putFailure(error, options.signal);
    }
  }

  private async putOnce(source: Readable, options: PutBlobOptions): Promise<StoredBlob> {
    const {
      maxBytes = Number.POSITIVE_INFINITY,
      signal,
      deferSync = false,
      knownSha256,
      knownSizeBytes,
    } = options;
    signal?.throwIfAborted();
    if (knownSha256 !== undefined && knownSizeBytes !== undefined && knownSizeBytes <= maxBytes) {
      if (await this.reuseStored(knownSha256, knownSizeBytes, deferSync)) {
        source.destroy();
        return { sha256: knownSha256, sizeBytes: knownSizeBytes, created: false };
      }
    }
    await mkdir(this.tempDir, { recursive: true });
    const tempPath = path.join(this.tempDir, `${randomUUID()}.part`);
    const { meter, sizeBytes, sha256: digest } = uploadMeter(maxBytes);
    // `flush` fsyncs before the close (unless the caller syncs the batch later); waiting for the
    // close also means the file can no longer be (re)created by a pending open after the temp file
    // has been removed below.
    const file = createWriteStream(tempPath, { flags: "wx", flush: !deferSync });
    const closed = new Promise<void>((resolve) => file.once("close", () => resolve()));
    try {
      try {
        await pipeline(source, meter, file, { signal });
      } finally {
        await closed;
      }
      const sha256 = digest();
      if (knownSha256 !== undefined && knownSha256 !== sha256) {
        throw new Error(`The bytes put as ${knownSha256} have the sha256 ${sha256}`);
      }
      const created = await this.publish(tempPath, sha256, sizeBytes(), deferSync);
      return { sha256, sizeBytes: sizeBytes(), created };
    } finally {
      await rm(tempPath, { force: true });
    }
  }

  async openRead(sha256: string, range?: ByteRange): Promise<Readable> {
    const handle = await openExisting(this.pathOf(sha256), sha256);
    if (range) {
      try {
        assertRange(range, (await handle.stat()).size);
      } catch (error) {
        await handle.close();
        throw error;
      }
    }
    // 1 MiB reads instead of the default 64 KiB: a sixteenth of the syscalls and stream events
    // for model files of hundreds of MiB.
    const highWaterMark = READ_CHUNK_BYTES;
    return handle.createReadStream(
      range ? { start: range.start, end: range.end, highWaterMark } : { highWaterMark },
    );
  }

  async stat(sha256: string): Promise<BlobStat | null> {
    try {
      return { sizeBytes: (await stat(this.pathOf(sha256))).size };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  async delete(sha256: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(sha256));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  /** Walks `ab/cd/<sha256>` in sorted order, which is ascending sha256; other names are skipped. */
  async *list(): AsyncIterable<ListedBlob> {
    for (const first of await sortedNames(this.root, shardPattern)) {
      for (const second of await sortedNames(path.join(this.root, first), shardPattern)) {
        const dir = path.join(this.root, first, second);
        for (const name of await sortedNames(dir, blobNamePattern)) {
          if (!name.startsWith(first + second)) continue;
          const info = await lstat(path.join(dir, name)).catch(() => null);
          if (info?.isFile()) yield { sha256: name, sizeBytes: info.size, modifiedAt: info.mtime };
        }
      }
    }
  }

  /** Temp files (`tmp/<uuid>.part`) whose last write is before `olderThan`. */
  async removeAbandonedUploads(olderThan: Date): Promise<RemovedFiles> {
    const removed: RemovedFiles = { names: [], sizeBytes: 0 };
    for (const name of await sortedNames(this.tempDir, /./)) {
      const file = path.join(this.tempDir, name);
      const info = await lstat(file).catch(() => null);
      if (!info || info.mtimeMs >= olderThan.getTime()) continue;
      await rm(file, { force: true, recursive: true });
      removed.names.push(name);
      removed.sizeBytes += info.size;
    }
    return removed;
  }

  /**
   * One `syncfs` of the store's file system where the platform has it (Linux, through coreutils'
   * `sync -f`): a single flush for the whole batch instead of one per file and one per folder,
   * measured here at 60–300 ms for 1,000 new blobs against 3–5 s of per-file and per-folder fsyncs.
   * It also flushes whatever else is dirty on that file system, which is harmless for a batch but
   * too dear for one blob (a kept prediction image). So for a few blobs, elsewhere, or if it fails,
   * each file and each folder that may have gained an entry is fsynced.
   */
  async syncPending(sha256s: readonly string[]): Promise<void> {
    if (sha256s.length === 0) return;
    const files = [...new Set(sha256s)].map((sha256) => this.pathOf(sha256));
    if (files.length > FEW_FILES && (await syncFileSystem(this.root))) return;
    await forEachAtOnce(files, syncFileConcurrency, async (file) => {
      // Released meanwhile: recording it then fails with CONFLICT, as after any lost race.
      await fsyncPath(file).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
    });
    const dirs = new Set<string>([this.root]);
    for (const file of files) {
      dirs.add(path.dirname(file));
      dirs.add(path.dirname(path.dirname(file)));
    }
    for (const dir of dirs) await fsyncPath(dir);
  }

  /**
   * A put of bytes whose hash and length the caller knows (`putBytes`), when a complete copy is
   * stored already: the copy's timestamp is refreshed (the orphan sweep's grace starts again, as
   * after any duplicate put) and, unless the caller syncs its batch later, the copy is made durable
   * (it may come from a deferred put whose batch is not synced yet). No temp file, no write. False
   * when the blob is absent or shorter than promised (a crash-truncated copy): the caller writes it.
   */
  private async reuseStored(sha256: string, sizeBytes: number, deferSync: boolean): Promise<boolean> {
    const finalPath = this.pathOf(sha256);
    const existing = await stat(finalPath).catch((error: unknown) => {
      if (isMissing(error)) return null;
      throw error;
    });
    if (existing?.size !== sizeBytes) return false;
    const now = new Date();
    try {
      await utimes(finalPath, now, now);
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    if (!deferSync) await this.syncPending([sha256]);
    return true;
  }

  /**
   * A hard link creates the name only if it is absent, so of two identical uploads racing, exactly
   * one reports `created` and the stored bytes are never replaced.
   */
  private async publish(
    tempPath: string,
    sha256: string,
    sizeBytes: number,
    deferSync: boolean,
  ): Promise<boolean> {
    const finalPath = this.pathOf(sha256);
    const dir = path.dirname(finalPath);
    const firstCreatedDir = await mkdir(dir, { recursive: true });
    try {
      await link(tempPath, finalPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (await this.replaceIfTruncated(tempPath, finalPath, sizeBytes, deferSync)) return false;
      // Whenever the file was first written, this upload needs it from now until it records it:
      // the orphan sweep's grace starts again here.
      const now = new Date();
      await utimes(finalPath, now, now).catch((touchError: unknown) => {
        // Removed meanwhile: recording it then fails with CONFLICT, which asks for a retry.
        if (!isMissing(touchError)) throw touchError;
      });
      // The name may come from a put with deferSync whose batch is not synced yet; this caller
      // expects a durable blob.
      if (!deferSync) await this.syncPending([sha256]);
      return false;
    }
    if (deferSync) return true;
    for (const changed of directoriesToSync(dir, firstCreatedDir)) await fsyncPath(changed);
    return true;
  }

  /**
   * A deferred put's name exists before its bytes are synced, so a crash in between can leave the
   * name with fewer bytes than its hash promises (ext4 and XFS keep the name, not the data). The
   * next upload of the same content must not record that file as good: its complete copy replaces
   * it. True when it did.
   */
  private async replaceIfTruncated(
    tempPath: string,
    finalPath: string,
    sizeBytes: number,
    deferSync: boolean,
  ): Promise<boolean> {
    const existing = await stat(finalPath).catch((error: unknown) => {
      if (isMissing(error)) return null;
      throw error;
    });
    if (!existing || existing.size === sizeBytes) return false;
    await rename(tempPath, finalPath);
    if (!deferSync) {
      await fsyncPath(finalPath);
      await fsyncPath(path.dirname(finalPath));
    }
    return true;
  }
}

/** The blob's folder, plus every parent that gained a new folder, up to the first one that existed. */
function directoriesToSync(dir: string, firstCreatedDir: string | undefined): string[] {
  const dirs = [dir];
  if (!firstCreatedDir) return dirs;
  const lastExisting = path.dirname(firstCreatedDir);
  for (let current = dir; current !== lastExisting;) {
    current = path.dirname(current);
    dirs.push(current);
  }
  return dirs;
}

/** Up to this many blobs, `syncPending` fsyncs each file and folder rather than the file system. */
const FEW_FILES = 4;

/** fsyncs at once in the fallback: libuv runs four at a time; a few more keep its queue full. */
const syncFileConcurrency = 8;

/** True once `syncfs` flushed the file system holding `root`; false where it is not available. */
function syncFileSystem(root: string): Promise<boolean> {
  if (process.platform !== "linux") return Promise.resolve(false);
  return new Promise((resolve) => {
    // "--": a data directory whose name starts with "-" is not an option; a hung sync (a stalled
    // disk, NFS) fails over to the per-file fsyncs instead of holding the upload forever.
    execFile("sync", ["--file-system", "--", root], { timeout: 120_000 }, (error) => resolve(error === null));
  });
}

async function forEachAtOnce<T>(items: readonly T[], atOnce: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker));
}

/**
 * fsync of a file or a folder (a folder's fsync makes the names in it durable). Descriptor calls
 * rather than a FileHandle: a classify request that logs a stored image syncs four paths, and the
 * handle's promise and close machinery cost more of the event loop's CPU than the three system
 * calls themselves.
 */
function fsyncPath(fileOrDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.open(fileOrDir, "r", (openError, fd) => {
      if (openError) return reject(openError);
      fs.fsync(fd, (syncError) => {
        fs.close(fd, (closeError) => {
          const error = syncError ?? closeError;
          if (error) reject(error);
          else resolve();
        });
      });
    });
  });
}

async function openExisting(filePath: string, sha256: string): Promise<FileHandle> {
  try {
    return await open(filePath, "r");
  } catch (error) {
    if (isMissing(error)) throw notFound(`Blob ${sha256}`);
    throw error;
  }
}

/** Names in `dir` matching `pattern`, in code-unit order; none when the folder does not exist. */
async function sortedNames(dir: string, pattern: RegExp): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => pattern.test(name)).sort();
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
}

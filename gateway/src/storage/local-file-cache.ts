import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AppError, ErrorCode } from "../errors";
import type { Logger } from "../logger";
import { assertSha256 } from "./blob-store";

interface CachedFile {
  path: string;
  /** Null until the download is complete and verified. */
  sizeBytes: number | null;
  /** Leases held now: a leased file is never evicted. */
  leases: number;
  /** The blob was deleted from the store: the copy goes as soon as nobody holds it. */
  forgotten: boolean;
  ready: Promise<void>;
}

export interface LocalFileCacheOptions {
  /** This process's own folder; emptied at start. */
  dir: string;
  /** Bytes of unleased copies kept; leased copies are kept whatever their size. */
  maxBytes: number;
  /** Streams the blob's bytes from the store. */
  fetch: (sha256: string) => Promise<Readable>;
  logger?: Logger;
}

/**
 * Local copies of remote blobs for readers that need a file, least recently used evicted first.
 * A copy is downloaded to a temporary name, hashed on the way, and renamed to its sha256 only when
 * the hash matches, so a file under a hash always holds exactly that content. A copy is pinned
 * while a lease on it runs and never evicted then; concurrent leases of one blob share one
 * download. The bound counts unleased copies: leased ones may take it over until they are released.
 */
export class LocalFileCache {
  private readonly files = new Map<string, CachedFile>();
  private readonly tempDir: string;
  private ready: Promise<void> | undefined;
  private storedBytes = 0;

  constructor(private readonly options: LocalFileCacheOptions) {
    this.tempDir = path.join(options.dir, "tmp");
  }

  /** Runs `use` on a local copy of the blob; the copy stays in place until `use` settles. */
  async withLocalFile<T>(sha256: string, use: (filePath: string) => Promise<T>): Promise<T> {
    assertSha256(sha256);
    await this.open();
    const file = this.lease(sha256);
    try {
      await file.ready;
      return await use(file.path);
    } finally {
      file.leases--;
      await this.evict();
    }
  }

  /** Drops the copy of a blob deleted from the store (once its leases end). */
  async forget(sha256: string): Promise<void> {
    const file = this.files.get(sha256);
    if (!file) return;
    file.forgotten = true;
    await this.evict();
  }

  /** Bytes of complete copies on disk, leased or not. */
  get sizeBytes(): number {
    return this.storedBytes;
  }

  /**
   * Empties this process's folder (a crashed process of the same host and pid may have left
   * copies) and removes the folders of this host's dead processes. Once; the first lease waits for it.
   */
  open(): Promise<void> {
    this.ready ??= this.prepare();
    return this.ready;
  }

  /** Removes this process's folder; leases still running keep their open files. */
  async close(): Promise<void> {
    this.files.clear();
    this.storedBytes = 0;
    await rm(this.options.dir, { recursive: true, force: true });
  }

  private lease(sha256: string): CachedFile {
    let file = this.files.get(sha256);
    if (file) this.files.delete(sha256);
    else {
      const filePath = path.join(this.options.dir, sha256);
      const created: CachedFile = {
        path: filePath,
        sizeBytes: null,
        leases: 0,
        forgotten: false,
        ready: Promise.resolve(),
      };
      created.ready = this.download(sha256, filePath).then(
        (sizeBytes) => {
          created.sizeBytes = sizeBytes;
          this.storedBytes += sizeBytes;
        },
        (error: unknown) => {
          if (this.files.get(sha256) === created) this.files.delete(sha256);
          throw error;
        },
      );
      file = created;
    }
    // Re-inserted last: the map's order is the order of last use.
    this.files.set(sha256, file);
    file.leases++;
    return file;
  }

  private async download(sha256: string, filePath: string): Promise<number> {
    const tempPath = path.join(this.tempDir, `${randomUUID()}.part`);
    const hash = createHash("sha256");
    let sizeBytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        sizeBytes += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(await this.options.fetch(sha256), meter, createWriteStream(tempPath, { flags: "wx" }));
      const actual = hash.digest("hex");
      if (actual !== sha256) {
        throw new AppError(
          ErrorCode.INTERNAL_SERVER_ERROR,
          `Blob ${sha256} read from the store has the sha256 ${actual}: the stored object is corrupt`,
        );
      }
      await rename(tempPath, filePath);
      return sizeBytes;
    } finally {
      await rm(tempPath, { force: true });
    }
  }

  /** Oldest unleased copies first, until the unleased ones fit the bound; forgotten ones at once. */
  private async evict(): Promise<void> {
    let unleasedBytes = 0;
    for (const file of this.files.values()) {
      if (file.leases === 0 && file.sizeBytes !== null) unleasedBytes += file.sizeBytes;
    }
    const evicted: string[] = [];
    for (const [sha256, file] of this.files) {
      if (file.leases > 0 || file.sizeBytes === null) continue;
      if (!file.forgotten && unleasedBytes <= this.options.maxBytes) continue;
      // Out of the map before the removal starts: a new lease downloads a fresh copy instead.
      this.files.delete(sha256);
      unleasedBytes -= file.sizeBytes;
      this.storedBytes -= file.sizeBytes;
      evicted.push(file.path);
    }
    // Every removal is issued now, in this tick: a new copy of the same blob is renamed into place
    // only after its download, so its rename reaches libuv's FIFO queue after this unlink.
    await Promise.all(
      evicted.map((filePath) =>
        rm(filePath, { force: true }).catch((error: unknown) =>
          this.options.logger?.warn({ err: error, file: filePath }, "could not remove an evicted blob copy"),
        ),
      ),
    );
  }

  private async prepare(): Promise<void> {
    await rm(this.options.dir, { recursive: true, force: true });
    await mkdir(this.tempDir, { recursive: true });
    await removeDeadSiblings(this.options.dir);
  }
}

/** Folders `<host>-<pid>` of this host whose process is gone: another host's folders are left alone. */
async function removeDeadSiblings(dir: string): Promise<void> {
  const parent = path.dirname(dir);
  const own = `${os.hostname()}-`;
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(own) || name === path.basename(dir)) continue;
    const pid = Number(name.slice(own.length));
    if (!Number.isSafeInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

import { mkdir, readdir, readFile, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import { temporarySuffix, writeAtomically } from "../../runtime/atomic-write";

/**
 * Files under one folder, each named by its key (a relative path with "/" separators), whose
 * total size is capped: past the cap the least recently used files are removed. Use is recorded
 * in memory and as the file's modification time, so the order survives a restart. Files are
 * written under a temporary name and renamed, so a reader (or a restart) never sees half a file.
 */
export class DiskStore {
  /** Map order is use order, oldest first. */
  private readonly sizes = new Map<string, number>();
  private readonly pinned = new Map<string, number>();
  private totalBytes = 0;

  private constructor(
    readonly root: string,
    readonly maxBytes: number,
  ) {}

  /** Opens the folder (creating it), indexing what an earlier run left there. */
  static async open(root: string, maxBytes: number): Promise<DiskStore> {
    await mkdir(root, { recursive: true });
    const store = new DiskStore(root, maxBytes);
    await store.index();
    return store;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  has(key: string): boolean {
    return this.sizes.has(key);
  }

  /** The file's bytes, or null when it is not (or no longer) stored. */
  async read(key: string): Promise<Buffer | null> {
    if (!this.sizes.has(key)) return null;
    const file = this.pathOf(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      this.forget(key);
      return null;
    }
    this.markUsed(key);
    const now = new Date();
    // The time only orders eviction after a restart; a file removed meanwhile needs no time.
    await utimes(file, now, now).catch(() => undefined);
    return bytes;
  }

  async write(key: string, bytes: Uint8Array): Promise<void> {
    // A file lost to a crash is only a miss (the image is staged again, the features extracted
    // again), so the write does not wait for the disk.
    await writeAtomically(this.pathOf(key), bytes, { flush: false });
    this.forget(key);
    this.sizes.set(key, bytes.byteLength);
    this.totalBytes += bytes.byteLength;
    await this.evict(key);
  }

  /** Keeps `keys` from eviction until the returned function is called (once). */
  pin(keys: Iterable<string>): () => void {
    const held = [...new Set(keys)];
    for (const key of held) this.pinned.set(key, (this.pinned.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const key of held) {
        const count = (this.pinned.get(key) ?? 1) - 1;
        if (count > 0) this.pinned.set(key, count);
        else this.pinned.delete(key);
      }
    };
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...key.split("/"));
  }

  private markUsed(key: string): void {
    const size = this.sizes.get(key);
    if (size === undefined) return;
    this.sizes.delete(key);
    this.sizes.set(key, size);
  }

  private forget(key: string): void {
    const size = this.sizes.get(key);
    if (size === undefined) return;
    this.sizes.delete(key);
    this.totalBytes -= size;
  }

  /** Removes the least recently used files until the total fits, sparing `keep` and pinned files. */
  private async evict(keep: string): Promise<void> {
    for (const [key, size] of this.sizes) {
      if (this.totalBytes <= this.maxBytes) return;
      if (key === keep || this.pinned.has(key)) continue;
      this.sizes.delete(key);
      this.totalBytes -= size;
      await rm(this.pathOf(key), { force: true });
    }
  }

  private async index(): Promise<void> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    const found: { key: string; size: number; usedAt: number }[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      // A write cut short by a crash: never renamed, so never part of the store.
      if (entry.name.endsWith(temporarySuffix)) {
        await rm(file, { force: true });
        continue;
      }
      const info = await stat(file);
      const key = path.relative(this.root, file).split(path.sep).join("/");
      found.push({ key, size: info.size, usedAt: info.mtimeMs });
    }
    found.sort((a, b) => a.usedAt - b.usedAt);
    for (const { key, size } of found) {
      this.sizes.set(key, size);
      this.totalBytes += size;
    }
    await this.evict("");
  }
}

import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalFileCache } from "../../src/storage/local-file-cache";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const blob = (text: string, size: number) => Buffer.alloc(size, text);

let root: string;
let dir: string;
let stored: Map<string, Buffer>;
let fetches: string[];

function cacheOf(maxBytes: number) {
  return new LocalFileCache({
    dir,
    maxBytes,
    fetch: async (hash) => {
      fetches.push(hash);
      const bytes = stored.get(hash);
      if (!bytes) throw new Error(`no blob ${hash}`);
      return Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]);
    },
  });
}

function put(bytes: Buffer): string {
  const hash = sha256(bytes);
  stored.set(hash, bytes);
  return hash;
}

const copies = async () => (await readdir(dir)).filter((name) => name !== "tmp").sort();

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "blob-cache-"));
  dir = path.join(root, `${os.hostname()}-${process.pid}`);
  stored = new Map();
  fetches = [];
});

afterEach(() => rm(root, { recursive: true, force: true }));

describe("LocalFileCache", () => {
  it("downloads a blob once, verified, and serves later leases from the copy", async () => {
    const cache = cacheOf(1000);
    const a = put(blob("a", 100));
    const read = (hash: string) => cache.withLocalFile(hash, (file) => readFile(file));
    const [first, second] = await Promise.all([read(a), read(a)]);
    expect(first.equals(stored.get(a)!)).toBe(true);
    expect(second.equals(first)).toBe(true);
    expect(await read(a)).toEqual(first);
    expect(fetches).toEqual([a]);
    expect(await copies()).toEqual([a]);
    expect(await readdir(path.join(dir, "tmp"))).toEqual([]);
    expect(cache.sizeBytes).toBe(100);
  });

  it("evicts the least recently used unleased copies past the bound", async () => {
    const cache = cacheOf(250);
    const [a, b, c] = [put(blob("a", 100)), put(blob("b", 100)), put(blob("c", 100))];
    const touch = (hash: string) => cache.withLocalFile(hash, async () => {});
    await touch(a);
    await touch(b);
    await touch(a); // b is now the least recently used
    await touch(c);
    expect(await copies()).toEqual([a, c].sort());
    expect(cache.sizeBytes).toBe(200);
    expect(fetches).toEqual([a, b, c]);
  });

  it("never evicts a copy while it is leased, even past the bound", async () => {
    const cache = cacheOf(0);
    const [a, b] = [put(blob("a", 100)), put(blob("b", 100))];
    const seen = await cache.withLocalFile(a, async (fileA) => {
      await cache.withLocalFile(b, async () => {});
      // b was released and evicted at once (bound 0); a is still leased and still there.
      expect(await copies()).toEqual([a]);
      return readFile(fileA);
    });
    expect(seen.equals(stored.get(a)!)).toBe(true);
    expect(await copies()).toEqual([]);
    expect(cache.sizeBytes).toBe(0);
  });

  it("refuses content that does not match its hash, leaving no file under the hash", async () => {
    const cache = cacheOf(1000);
    const claimed = sha256(Buffer.from("what the row says"));
    stored.set(claimed, Buffer.from("something else entirely"));
    await expect(cache.withLocalFile(claimed, async () => "used")).rejects.toMatchObject({
      code: "INTERNAL_SERVER_ERROR",
      message: `Blob ${claimed} read from the store has the sha256 ${sha256(Buffer.from("something else entirely"))}: the stored object is corrupt`,
    });
    expect(await copies()).toEqual([]);
    expect(await readdir(path.join(dir, "tmp"))).toEqual([]);
    // A failed download is not remembered: the next lease tries again.
    stored.set(claimed, Buffer.from("what the row says"));
    expect(await cache.withLocalFile(claimed, async () => "used")).toBe("used");
  });

  it("drops the copy of a deleted blob once its lease ends", async () => {
    const cache = cacheOf(1000);
    const a = put(blob("a", 100));
    await cache.withLocalFile(a, async () => {
      cache.forget(a);
      expect(await copies()).toEqual([a]);
    });
    expect(await copies()).toEqual([]);
  });

  it("starts empty, removing copies a crashed process of this host left behind", async () => {
    const a = put(blob("a", 100));
    await cacheOf(1000).withLocalFile(a, async () => {});
    // What a dead process (pid far beyond pid_max) of this host left.
    const dead = path.join(root, `${os.hostname()}-99999999`);
    await cacheOf(1000).withLocalFile(a, async () => {});
    const other = new LocalFileCache({
      dir: dead,
      maxBytes: 1000,
      fetch: async () => Readable.from([stored.get(a)!]),
    });
    await other.withLocalFile(a, async () => {});
    const again = cacheOf(1000);
    await again.withLocalFile(a, async () => {});
    expect((await readdir(root)).sort()).toEqual([path.basename(dir)]);
    expect(fetches).toEqual([a, a, a]);
  });
});

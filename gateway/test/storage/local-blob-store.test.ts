import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalBlobStore } from "../../src/storage/local-blob-store";

let root: string;
let store: LocalBlobStore;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "blobs-"));
  store = new LocalBlobStore(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const tempFiles = async () => readdir(path.join(root, "tmp")).catch(() => []);

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** 64 KiB chunks forever (or `total` bytes), counting how much was pulled. */
function generated(total = Number.POSITIVE_INFINITY) {
  const state = { pulled: 0 };
  const chunk = Buffer.alloc(64 * 1024, 1);
  const stream = new Readable({
    read() {
      if (state.pulled >= total) return void this.push(null);
      state.pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, state };
}

describe("LocalBlobStore.put", () => {
  it("stores content under its sha256 and reads it back", async () => {
    const content = randomBytes(300_000);
    const blob = await store.put(Readable.from([content.subarray(0, 1000), content.subarray(1000)]));
    expect(blob).toEqual({ sha256: sha256(content), sizeBytes: 300_000, created: true });
    const expectedPath = path.join(root, blob.sha256.slice(0, 2), blob.sha256.slice(2, 4), blob.sha256);
    expect(store.pathOf(blob.sha256)).toBe(expectedPath);
    expect((await readFile(expectedPath)).equals(content)).toBe(true);
    expect((await readAll(await store.openRead(blob.sha256))).equals(content)).toBe(true);
    expect(await store.stat(blob.sha256)).toEqual({ sizeBytes: 300_000 });
    expect(await store.has(blob.sha256)).toBe(true);
    expect(await tempFiles()).toEqual([]);
  });

  it("stores identical content once", async () => {
    const content = Buffer.from("same bytes");
    const first = await store.put(Readable.from([content]));
    const second = await store.put(Readable.from([content]));
    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    const shard = path.join(root, first.sha256.slice(0, 2), first.sha256.slice(2, 4));
    expect(await readdir(shard)).toEqual([first.sha256]);
    expect(await tempFiles()).toEqual([]);
  });

  it("reports exactly one creation when identical uploads race", async () => {
    const content = randomBytes(200_000);
    const results = await Promise.all(Array.from({ length: 5 }, () => store.put(Readable.from([content]))));
    expect(results.filter((blob) => blob.created)).toHaveLength(1);
    expect(new Set(results.map((blob) => blob.sha256))).toEqual(new Set([sha256(content)]));
  });

  it("stores an empty blob", async () => {
    const blob = await store.put(Readable.from([]));
    expect(blob).toEqual({ sha256: sha256(Buffer.alloc(0)), sizeBytes: 0, created: true });
  });

  it("aborts while streaming once maxBytes is passed, leaving nothing behind", async () => {
    const { stream, state } = generated();
    await expect(store.put(stream, { maxBytes: 1_000_000 })).rejects.toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      message: "The upload is larger than the limit of 976.6 KiB (1000000 bytes)",
    });
    expect(state.pulled).toBeLessThan(2_000_000);
    expect(stream.destroyed).toBe(true);
    expect(await tempFiles()).toEqual([]);
    expect(await readdir(root)).toEqual(["tmp"]);
  });

  it("accepts content of exactly maxBytes", async () => {
    const { stream } = generated(1024 * 1024);
    const blob = await store.put(stream, { maxBytes: 1024 * 1024 });
    expect(blob.sizeBytes).toBe(1024 * 1024);
  });

  it("removes the temp file when the source fails midway", async () => {
    const source = new Readable({ read() {} });
    const put = store.put(source);
    source.push(Buffer.alloc(100_000, 3));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await tempFiles()).toHaveLength(1);
    source.destroy(new Error("client disconnected"));
    await expect(put).rejects.toThrow("client disconnected");
    expect(await tempFiles()).toEqual([]);
    expect(await readdir(root)).toEqual(["tmp"]);
  });

  it("removes the temp file when the signal aborts", async () => {
    const { stream } = generated();
    const controller = new AbortController();
    const put = store.put(stream, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(put).rejects.toMatchObject({ name: "AbortError" });
    expect(stream.destroyed).toBe(true);
    expect(await tempFiles()).toEqual([]);
  });
});

describe("LocalBlobStore reads", () => {
  it("returns the exact bytes of a range, end inclusive", async () => {
    const content = randomBytes(100_000);
    const { sha256: hash } = await store.put(Readable.from([content]));
    for (const [start, end] of [
      [0, 0],
      [10, 19],
      [65_530, 65_545],
      [99_999, 99_999],
      [0, 99_999],
    ] as const) {
      const bytes = await readAll(await store.openRead(hash, { start, end }));
      expect(bytes.equals(content.subarray(start, end + 1))).toBe(true);
    }
  });

  it("rejects a range outside the blob", async () => {
    const { sha256: hash } = await store.put(Readable.from([Buffer.from("0123456789")]));
    await expect(store.openRead(hash, { start: 5, end: 10 })).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
      message: "Byte range 5-10 does not fit in a blob of 10 bytes",
    });
    await expect(store.openRead(hash, { start: 6, end: 5 })).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
    });
  });

  it("answers NOT_FOUND, null and false for a blob it does not hold", async () => {
    const missing = "0".repeat(64);
    await expect(store.openRead(missing)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await store.stat(missing)).toBeNull();
    expect(await store.has(missing)).toBe(false);
    expect(await store.delete(missing)).toBe(false);
  });

  it("deletes a blob", async () => {
    const { sha256: hash } = await store.put(Readable.from([Buffer.from("bye")]));
    expect(await store.delete(hash)).toBe(true);
    expect(await store.has(hash)).toBe(false);
  });

  it.each(["../../../../etc/passwd", "A".repeat(64), "a".repeat(63), `${"a".repeat(63)}/`])(
    "rejects %j as a hash so no path can leave the store",
    async (bad) => {
      expect(() => store.pathOf(bad)).toThrow("Expected a sha256 of 64 lowercase hex characters");
      await expect(store.openRead(bad)).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
      await expect(store.stat(bad)).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
      await expect(store.delete(bad)).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    },
  );
});

describe("LocalBlobStore.sweepTemp", () => {
  it("removes temp files older than the given age and keeps fresh ones", async () => {
    const temp = path.join(root, "tmp");
    await mkdir(temp, { recursive: true });
    await writeFile(path.join(temp, "old.part"), "left by a crash");
    await writeFile(path.join(temp, "fresh.part"), "an upload in progress");
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(path.join(temp, "old.part"), hourAgo, hourAgo);
    expect(await store.sweepTemp(60_000)).toBe(1);
    expect(await readdir(temp)).toEqual(["fresh.part"]);
  });

  it("does nothing before the first upload", async () => {
    expect(await store.sweepTemp(0)).toBe(0);
  });
});

import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BlobReferences } from "../../src/blobs/blob-references";
import { BlobSweeper } from "../../src/blobs/blob-sweep";
import { loadConfig } from "../../src/config";
import type { ListedBlob } from "../../src/storage/blob-store";
import { LocalBlobStore } from "../../src/storage/local-blob-store";
import { putBytes } from "../../src/storage/put-bytes";
import { createTestDatabase, type TestDatabase } from "../support/database";

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

async function listAll(): Promise<ListedBlob[]> {
  const listed: ListedBlob[] = [];
  for await (const blob of store.list()) listed.push(blob);
  return listed;
}

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

  it("replaces a file a crash left shorter than its hash promises, deferred or not", async () => {
    for (const deferSync of [true, false]) {
      const content = randomBytes(50_000);
      const hash = sha256(content);
      // What a crash between a deferred put's link and its sync can leave: the name, not the bytes.
      await mkdir(path.dirname(store.pathOf(hash)), { recursive: true });
      await writeFile(store.pathOf(hash), content.subarray(0, 4096));
      const blob = await store.put(Readable.from([content]), { deferSync });
      await store.syncPending([hash]);
      expect(blob).toEqual({ sha256: hash, sizeBytes: 50_000, created: false });
      expect((await readFile(store.pathOf(hash))).equals(content)).toBe(true);
      expect(await tempFiles()).toEqual([]);
    }
  });

  it("does not write bytes whose known hash and length are stored already: a stat and a touch, the source unread", async () => {
    const content = Buffer.from("a kept prediction image, sent again");
    const first = await putBytes(store, content);
    expect(first).toEqual({ sha256: sha256(content), sizeBytes: content.length, created: true });
    const dayAgo = new Date(Date.now() - 86_400_000);
    await utimes(store.pathOf(first.sha256), dayAgo, dayAgo);
    // A source that fails when read: the second put never reads it.
    const unread = new Readable({
      read() {
        this.destroy(new Error("the source was read"));
      },
    });
    const before = Date.now();
    const again = await store.put(unread, { knownSha256: first.sha256, knownSizeBytes: content.length });
    expect(again).toEqual({ ...first, created: false });
    // The sweep's grace starts over, as after any duplicate put.
    const [listed] = await listAll();
    expect(listed!.modifiedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await tempFiles()).toEqual([]);
  });

  it("writes bytes with a known hash when the stored copy is shorter, and refuses bytes that do not match it", async () => {
    const content = randomBytes(20_000);
    const hash = sha256(content);
    await mkdir(path.dirname(store.pathOf(hash)), { recursive: true });
    await writeFile(store.pathOf(hash), content.subarray(0, 100));
    expect(await putBytes(store, content)).toEqual({ sha256: hash, sizeBytes: 20_000, created: false });
    expect((await readFile(store.pathOf(hash))).equals(content)).toBe(true);

    const other = Buffer.from("other bytes");
    await expect(
      store.put(Readable.from([other]), { knownSha256: "0".repeat(64), knownSizeBytes: other.length }),
    ).rejects.toThrow(`The bytes put as ${"0".repeat(64)} have the sha256 ${sha256(other)}`);
    expect(await store.has(sha256(other))).toBe(false);
    expect(await tempFiles()).toEqual([]);
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

  it("removes the temp file when the signal aborts, rejecting with the abort's reason", async () => {
    const { stream } = generated();
    const controller = new AbortController();
    const reason = new Error("the client went away");
    const put = store.put(stream, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(put).rejects.toBe(reason);
    expect(stream.destroyed).toBe(true);
    expect(await tempFiles()).toEqual([]);
  });
});

describe("LocalBlobStore deferred sync", () => {
  it("makes a deferSync put readable at once and durable with syncPending, leaving no temp file", async () => {
    const content = randomBytes(10_000);
    const blob = await store.put(Readable.from([content]), { deferSync: true });
    expect(blob).toEqual({ sha256: sha256(content), sizeBytes: 10_000, created: true });
    expect(await readAll(await store.openRead(blob.sha256))).toEqual(content);
    await store.syncPending([blob.sha256, blob.sha256]);
    await store.syncPending([]);
    expect(await tempFiles()).toEqual([]);
  });

  it("stores once when a plain put meets the same bytes put with deferSync", async () => {
    const content = randomBytes(5_000);
    const deferred = await store.put(Readable.from([content]), { deferSync: true });
    const plain = await store.put(Readable.from([content]));
    expect([deferred.created, plain.created]).toEqual([true, false]);
    expect((await listAll()).map((listed) => listed.sha256)).toEqual([sha256(content)]);
  });

  it("refuses a malformed hash with BAD_USER_INPUT before syncing anything", async () => {
    await expect(store.syncPending(["../../etc/passwd"])).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
    });
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

describe("LocalBlobStore.removeAbandonedUploads", () => {
  it("removes temp files not written to since the cutoff, with their names and sizes, and keeps fresh ones", async () => {
    const temp = path.join(root, "tmp");
    await mkdir(temp, { recursive: true });
    await writeFile(path.join(temp, "old.part"), "left by a crash");
    await writeFile(path.join(temp, "fresh.part"), "an upload in progress");
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(path.join(temp, "old.part"), hourAgo, hourAgo);
    expect(await store.removeAbandonedUploads(new Date(Date.now() - 60_000))).toEqual({
      names: ["old.part"],
      sizeBytes: "left by a crash".length,
    });
    expect(await readdir(temp)).toEqual(["fresh.part"]);
  });

  it("does nothing before the first upload", async () => {
    expect(await store.removeAbandonedUploads(new Date())).toEqual({ names: [], sizeBytes: 0 });
  });
});

describe("LocalBlobStore.list", () => {
  it("lists every blob once, in ascending sha256 order, skipping temp and foreign files", async () => {
    const contents = Array.from({ length: 20 }, (_, index) => Buffer.from(`blob ${"x".repeat(index)}`));
    await Promise.all(contents.map((content) => store.put(Readable.from([content]))));
    await mkdir(path.join(root, "tmp"), { recursive: true });
    await writeFile(path.join(root, "tmp", "x.part"), "half");
    await writeFile(path.join(root, "notes.txt"), "not a blob");
    const expected = contents
      .map((content) => ({ sha256: sha256(content), sizeBytes: content.length }))
      .sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
    const listed = await listAll();
    expect(listed.map(({ sha256, sizeBytes }) => ({ sha256, sizeBytes }))).toEqual(expected);
  });

  it("refreshes a blob's time when identical content is put again", async () => {
    const { sha256: hash } = await store.put(Readable.from([Buffer.from("stored long ago")]));
    const dayAgo = new Date(Date.now() - 86_400_000);
    await utimes(store.pathOf(hash), dayAgo, dayAgo);
    const before = Date.now();
    expect((await store.put(Readable.from([Buffer.from("stored long ago")]))).created).toBe(false);
    const [listed] = await listAll();
    expect(listed!.modifiedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe("BlobSweeper on a LocalBlobStore", () => {
  const hour = 3_600_000;
  const settings = { maxUploadMs: 60_000, orphanGraceMs: hour, intervalMs: hour };
  const twoHoursAgo = new Date(Date.now() - 2 * hour);
  let database: TestDatabase;
  let lines: Array<Record<string, unknown>>;
  let references: BlobReferences;
  let sweeper: BlobSweeper;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.close());
  beforeEach(async () => {
    await database.prisma.inferenceArtifact.deleteMany();
    await database.prisma.blob.deleteMany();
    lines = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    references = new BlobReferences(database.prisma, store, logger);
    sweeper = new BlobSweeper(store, references, logger, settings);
  });

  async function put(content: string, modifiedAt?: Date) {
    const blob = await store.put(Readable.from([Buffer.from(content)]));
    if (modifiedAt) await utimes(store.pathOf(blob.sha256), modifiedAt, modifiedAt);
    return blob;
  }

  /** A blob as an upload leaves it once committed: a Blob row and a row that references it. */
  async function recorded(content: string) {
    const blob = await put(content, twoHoursAgo);
    await database.prisma.$transaction(async (tx) => {
      await references.record(tx, [blob]);
      await tx.inferenceArtifact.create({
        data: { sha256: blob.sha256, contentType: "text/plain", fileName: "a.txt", expiresAt: new Date() },
      });
    });
    return blob;
  }

  async function tempFile(name: string, content: string, modifiedAt: Date) {
    await mkdir(path.join(root, "tmp"), { recursive: true });
    await writeFile(path.join(root, "tmp", name), content);
    await utimes(path.join(root, "tmp", name), modifiedAt, modifiedAt);
  }

  const onDisk = async () => (await listAll()).map((blob) => blob.sha256).sort();

  it("removes old files no row names and abandoned temp files, keeps recorded and recent ones, and logs what it removed", async () => {
    const kept = await recorded("a committed sample");
    const orphan = await put("left by a crash before its commit", twoHoursAgo);
    const inFlight = await put("an upload that has not committed yet");
    await tempFile("crashed.part", "half an upload", twoHoursAgo);
    await tempFile("running.part", "an upload arriving", new Date());

    const report = await sweeper.sweep();

    expect(report).toEqual({
      abandonedUploads: { names: ["crashed.part"], sizeBytes: "half an upload".length },
      orphanFiles: { names: [orphan.sha256], sizeBytes: orphan.sizeBytes },
      unreferencedRows: [],
      missingFiles: [],
    });
    expect(await onDisk()).toEqual([kept.sha256, inFlight.sha256].sort());
    expect(await tempFiles()).toEqual(["running.part"]);
    expect(
      lines.find((line) => line.msg === "blob sweep removed files left by interrupted uploads"),
    ).toMatchObject({
      level: 30,
      abandonedUploads: 1,
      abandonedUploadBytes: "half an upload".length,
      orphanFiles: 1,
      orphanFileBytes: orphan.sizeBytes,
      unreferencedRows: 0,
    });
    expect(lines.find((line) => line.msg === "blob sweep removed these files")).toMatchObject({
      level: 20,
      abandonedUploads: ["crashed.part"],
      orphanFiles: [orphan.sha256],
    });
  });

  it("keeps an old orphan that an upload stores again: the grace starts over at that put", async () => {
    const orphan = await put("uploaded again", twoHoursAgo);
    await put("uploaded again");
    expect((await sweeper.sweep())?.orphanFiles.names).toEqual([]);
    expect(await onDisk()).toEqual([orphan.sha256]);
  });

  it("releases Blob rows nothing references, and reports rows whose file is missing without deleting them", async () => {
    const unreferenced = await put("its sample was deleted, then the gateway crashed", twoHoursAgo);
    await database.prisma.$transaction((tx) => references.record(tx, [unreferenced]));
    const lost = await recorded("a file someone deleted by hand");
    await store.delete(lost.sha256);

    const report = await sweeper.sweep();

    expect(report).toMatchObject({ unreferencedRows: [unreferenced.sha256], missingFiles: [lost.sha256] });
    expect(await onDisk()).toEqual([]);
    const rows = await database.prisma.blob.findMany({ select: { sha256: true } });
    expect(rows).toEqual([{ sha256: lost.sha256 }]);
    expect(lines.find((line) => line.level === 40)).toMatchObject({
      msg: "Blob rows whose file is missing from the blob store; the rows are kept",
      missingFiles: 1,
      sha256: [lost.sha256],
    });
  });

  it("refuses a grace shorter than the longest upload at start", () => {
    expect(() =>
      loadConfig({ TESSERA_MAX_UPLOAD_SECONDS: "600", TESSERA_ORPHAN_BLOB_GRACE_SECONDS: "60" }),
    ).toThrow("TESSERA_ORPHAN_BLOB_GRACE_SECONDS (60) must be at least TESSERA_MAX_UPLOAD_SECONDS (600)");
  });

  it("logs nothing at info when there is nothing to remove", async () => {
    await recorded("all in order");
    expect(await sweeper.sweep()).toMatchObject({ orphanFiles: { names: [] }, missingFiles: [] });
    expect(lines.filter((line) => (line.level as number) >= 30)).toEqual([]);
  });
});

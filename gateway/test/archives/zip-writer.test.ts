import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSafeZip } from "../../src/archives/safe-zip";
import { createZipStream, zipStreamSize, type ZipSourceFile } from "../../src/archives/zip-writer";
import type { ArchiveLimits } from "../../src/config";

const GiB = 1024 ** 3;
const limits: ArchiveLimits = {
  maxEntries: 100_000,
  maxUncompressedBytes: 8 * GiB,
  maxCompressionRatio: 200,
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "zip-writer-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const fromBytes = (filePath: string, bytes: Buffer): ZipSourceFile => ({
  path: filePath,
  sizeBytes: bytes.length,
  open: () => Readable.from([bytes]),
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const zero = Buffer.alloc(4 * 1024 * 1024);

/** `total` zero bytes in 1 MiB chunks, counting what was pulled; never allocated whole. */
function zeros(total: number) {
  const state = { pulled: 0 };
  const stream = new Readable({
    read() {
      const size = Math.min(total - state.pulled, 1024 * 1024);
      if (size <= 0) return void this.push(null);
      state.pulled += size;
      this.push(zero.subarray(0, size));
    },
  });
  return { stream, state };
}

describe("createZipStream", () => {
  it("round-trips files through the safe reader with identical bytes", async () => {
    const modifiedAt = new Date(2024, 4, 6, 7, 8, 10);
    const files = new Map([
      ["hello.txt", Buffer.from("hello, world\n")],
      ["nested/deeper/weights.bin", randomBytes(3 * 1024 * 1024 + 17)],
      ["empty.txt", Buffer.alloc(0)],
      ["naïve ✓.txt", Buffer.from("unicode names survive")],
    ]);
    const sources = [...files].map(([filePath, bytes]) => fromBytes(filePath, bytes));
    const target = path.join(dir, "round-trip.zip");
    await pipeline(createZipStream(sources, { modifiedAt }), createWriteStream(target));

    expect((await stat(target)).size).toBe(zipStreamSize(sources));
    const zip = await openSafeZip(target, limits);
    expect(zip.entries.map((entry) => [entry.path, entry.sizeBytes])).toEqual(
      [...files].map(([filePath, bytes]) => [filePath, bytes.length]),
    );
    for (const entry of zip.entries) {
      const bytes = await readAll(await zip.openEntry(entry));
      expect(sha256(bytes)).toBe(sha256(files.get(entry.path)!));
      expect(entry.modifiedAt).toEqual(modifiedAt);
    }
    zip.close();
  });

  it("writes ZIP64 records for an entry over 4 GiB and for offsets past it", async () => {
    const bigSize = 4 * GiB + 10;
    const sources: ZipSourceFile[] = [
      fromBytes("before.txt", Buffer.from("before")),
      { path: "big.bin", sizeBytes: bigSize, open: () => zeros(bigSize).stream },
      fromBytes("after.txt", Buffer.from("after")),
    ];
    // The big entry is zeros, so a sparse file with only the non-zero chunks written is the archive.
    const target = path.join(dir, "zip64.zip");
    const handle = await open(target, "w");
    let position = 0;
    for await (const chunk of createZipStream(sources) as AsyncIterable<Buffer>) {
      const allZero = chunk.length <= zero.length && chunk.equals(zero.subarray(0, chunk.length));
      if (!allZero) await handle.write(chunk, 0, chunk.length, position);
      position += chunk.length;
    }
    await handle.truncate(position);
    await handle.close();

    expect(position).toBe(zipStreamSize(sources));
    const zip = await openSafeZip(target, limits);
    expect(zip.entries.map((entry) => [entry.path, entry.sizeBytes])).toEqual([
      ["before.txt", 6],
      ["big.bin", bigSize],
      ["after.txt", 5],
    ]);
    expect((await readAll(await zip.openEntry(zip.entries[2]!))).toString()).toBe("after");
    zip.close();
  }, 120_000);

  it("writes a ZIP64 end record for 65535 entries or more", async () => {
    const sources = Array.from({ length: 65_535 }, (_, index) => fromBytes(`f/${index}`, Buffer.alloc(0)));
    const target = path.join(dir, "many.zip");
    await pipeline(createZipStream(sources), createWriteStream(target));
    const zip = await openSafeZip(target, limits);
    expect(zip.entries).toHaveLength(65_535);
    expect(zip.entries[65_534]!.path).toBe("f/65534");
    zip.close();
  }, 60_000);

  it("reads sources only as fast as the consumer and stops them when it goes away", async () => {
    const endless = zeros(Number.MAX_SAFE_INTEGER);
    const opened: string[] = [];
    const zipStream = createZipStream([
      { path: "endless.bin", sizeBytes: 8 * GiB, open: () => (opened.push("endless.bin"), endless.stream) },
      {
        path: "next.bin",
        sizeBytes: 1,
        open: () => (opened.push("next.bin"), Readable.from([Buffer.from("x")])),
      },
    ]);
    const iterator = zipStream[Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(endless.state.pulled).toBeLessThan(8 * 1024 * 1024);

    zipStream.destroy();
    await new Promise((resolve) => endless.stream.once("close", resolve));
    const pulled = endless.state.pulled;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(endless.state.pulled).toBe(pulled);
    expect(opened).toEqual(["endless.bin"]);
  });

  it("fails when a source yields fewer bytes than announced", async () => {
    const stream = createZipStream([
      { path: "short.bin", sizeBytes: 10, open: () => Readable.from([Buffer.from("abc")]) },
    ]);
    await expect(readAll(stream)).rejects.toThrow(
      'ZIP entry "short.bin" was announced as 10 bytes but its source ended after 3',
    );
  });

  it("fails when a source yields more bytes than announced", async () => {
    const stream = createZipStream([
      { path: "long.bin", sizeBytes: 2, open: () => Readable.from([Buffer.from("abc")]) },
    ]);
    await expect(readAll(stream)).rejects.toThrow(
      'ZIP entry "long.bin" was announced as 2 bytes but its source yielded more',
    );
  });

  it.each([
    ["../evil", "must stay inside"],
    ["/etc/passwd", "absolute path"],
    ["./a.txt", "expected a normalised relative file path"],
    ["folder/", "expected a normalised relative file path"],
  ])("refuses to write the path %j", (filePath, reason) => {
    expect(() => createZipStream([fromBytes(filePath, Buffer.from("x"))])).toThrow(reason);
  });

  it("refuses the same path twice", () => {
    const file = fromBytes("a.txt", Buffer.from("x"));
    expect(() => createZipStream([file, file])).toThrow('Cannot add "a.txt" to a ZIP twice');
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSafeZip, type SafeZip } from "../../src/archives/safe-zip";
import type { ArchiveLimits } from "../../src/config";
import { assemble, centralHeader, craftZip, localHeader, type CraftedEntry } from "./craft-zip";

const MiB = 1024 * 1024;
const limits: ArchiveLimits = { maxEntries: 100, maxUncompressedBytes: 64 * MiB, maxCompressionRatio: 200 };

let dir: string;
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "safe-zip-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function zipFile(bytes: Buffer): Promise<string> {
  const file = path.join(dir, `archive-${++counter}.zip`);
  await writeFile(file, bytes);
  return file;
}

async function open(entries: CraftedEntry[], given: ArchiveLimits = limits): Promise<SafeZip> {
  return openSafeZip(await zipFile(craftZip(entries)), given);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const rejected = (code: string, ...parts: string[]) => ({
  code,
  message: expect.stringMatching(new RegExp(parts.map((part) => escape(part)).join(".*"))),
});
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("openSafeZip on an honest archive", () => {
  it("lists files with normalised paths, skips folders and streams exact bytes", async () => {
    const weights = Buffer.alloc(300_000, "weights ");
    const zip = await open([
      { name: "model/", externalAttributes: 0o040755 << 16 },
      { name: "./model/config.json", content: Buffer.from('{"a":1}'), method: "store" },
      { name: "model\\weights.bin", content: weights },
      { name: "model/empty.txt" },
    ]);
    expect(zip.entries.map(({ path, sizeBytes }) => ({ path, sizeBytes }))).toEqual([
      { path: "model/config.json", sizeBytes: 7 },
      { path: "model/weights.bin", sizeBytes: 300_000 },
      { path: "model/empty.txt", sizeBytes: 0 },
    ]);
    expect(zip.totalBytes).toBe(300_007);
    const [config, stored, empty] = zip.entries;
    expect((await readAll(await zip.openEntry(stored!))).equals(weights)).toBe(true);
    expect((await readAll(await zip.openEntry(config!))).toString()).toBe('{"a":1}');
    expect((await readAll(await zip.openEntry(empty!))).length).toBe(0);
    zip.close();
  });

  it("lets open streams finish after close and refuses new ones", async () => {
    const content = Buffer.alloc(200_000, "z");
    const zip = await open([{ name: "a.bin", content, method: "store" }]);
    const stream = await zip.openEntry(zip.entries[0]!);
    zip.close();
    expect((await readAll(stream)).equals(content)).toBe(true);
    await expect(zip.openEntry(zip.entries[0]!)).rejects.toThrow("the archive is closed");
  });

  it("refuses entries that belong to another archive", async () => {
    const first = await open([{ name: "a.txt", content: Buffer.from("a") }]);
    const second = await open([{ name: "a.txt", content: Buffer.from("a") }]);
    await expect(second.openEntry(first.entries[0]!)).rejects.toThrow(TypeError);
    first.close();
    second.close();
  });
});

describe("openSafeZip rejects files that are not whole ZIPs", () => {
  it("rejects a file that is not a ZIP", async () => {
    const file = await zipFile(Buffer.from("just some text, certainly not an archive".repeat(10)));
    await expect(openSafeZip(file, limits)).rejects.toMatchObject(
      rejected("BAD_USER_INPUT", "not a ZIP file"),
    );
  });

  it("rejects an empty file", async () => {
    await expect(openSafeZip(await zipFile(Buffer.alloc(0)), limits)).rejects.toMatchObject(
      rejected("BAD_USER_INPUT", "empty"),
    );
  });

  it("rejects a truncated ZIP", async () => {
    const whole = craftZip([{ name: "a.bin", content: Buffer.alloc(10_000, 7) }]);
    const file = await zipFile(whole.subarray(0, whole.length - 30));
    await expect(openSafeZip(file, limits)).rejects.toMatchObject(rejected("BAD_USER_INPUT", "truncated"));
  });

  it("rejects a central directory that points past the end of the file", async () => {
    const whole = craftZip([{ name: "a.bin", content: Buffer.alloc(1000, 7) }]);
    whole.writeUInt32LE(0xfffff, whole.length - 6); // central directory offset
    await expect(openSafeZip(await zipFile(whole), limits)).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
  });
});

describe("openSafeZip rejects entry paths that escape the archive", () => {
  it.each([
    ["../evil", '"../evil"', ".."],
    ["safe/../../evil", '"safe/../../evil"', ".."],
    ["..\\evil", '"..\\\\evil"', ".."],
    ["/etc/passwd", '"/etc/passwd"', "absolute path"],
    ["\\\\server\\share\\x", "server", "absolute path"],
    ["C:\\Windows\\evil.dll", "Windows", "drive letter"],
    ["c:evil", '"c:evil"', "drive letter"],
    ["evil\0.txt", '"evil\\u0000.txt"', "NUL byte"],
  ])("rejects %j", async (name, shown, reason) => {
    await expect(open([{ name, content: Buffer.from("x") }])).rejects.toMatchObject(
      rejected("BAD_USER_INPUT", shown, reason),
    );
  });

  it("rejects a symbolic link entry", async () => {
    const link = { name: "link", content: Buffer.from("/etc/passwd"), externalAttributes: 0o120777 << 16 };
    await expect(open([link])).rejects.toMatchObject(rejected("BAD_USER_INPUT", '"link"', "symbolic link"));
  });

  it("rejects the same path twice after normalisation", async () => {
    await expect(
      open([
        { name: "data/a.txt", content: Buffer.from("1") },
        { name: "./data//a.txt", content: Buffer.from("2") },
      ]),
    ).rejects.toMatchObject(rejected("BAD_USER_INPUT", '"./data//a.txt"', '"data/a.txt"'));
  });

  it("treats composed and decomposed Unicode spellings as the same path", async () => {
    await expect(
      open([
        { name: "caf\u00e9.txt", content: Buffer.from("1") },
        { name: "cafe\u0301.txt", content: Buffer.from("2") },
      ]),
    ).rejects.toMatchObject(rejected("BAD_USER_INPUT", "same path"));
  });

  it("rejects a path that is both a file and a folder", async () => {
    await expect(
      open([
        { name: "a", content: Buffer.from("1") },
        { name: "a/b", content: Buffer.from("2") },
      ]),
    ).rejects.toMatchObject(rejected("BAD_USER_INPUT", '"a/b"', '"a", which is a file'));
  });

  it("decodes names without the UTF-8 flag as CP437, like unzip does", async () => {
    const zip = await open([
      { name: Buffer.from([0x63, 0x61, 0x66, 0x82]), flags: 0, content: Buffer.from("x") },
    ]);
    expect(zip.entries[0]!.path).toBe("caf\u00e9");
    zip.close();
  });
});

describe("openSafeZip enforces the limits", () => {
  it("rejects more entries than allowed", async () => {
    const entries = Array.from({ length: 6 }, (_, index) => ({
      name: `f${index}`,
      content: Buffer.from("x"),
    }));
    await expect(open(entries, { ...limits, maxEntries: 5 })).rejects.toMatchObject(
      rejected("PAYLOAD_TOO_LARGE", "6 entries", "limit is 5"),
    );
  });

  it("rejects declared sizes that add up to more than the limit", async () => {
    const entries = [
      { name: "a.bin", content: Buffer.alloc(600_000) },
      { name: "b.bin", content: Buffer.alloc(600_000) },
    ];
    await expect(open(entries, { ...limits, maxUncompressedBytes: 1_000_000 })).rejects.toMatchObject(
      rejected("PAYLOAD_TOO_LARGE", '"b.bin"', "1200000 bytes", "(1000000 bytes)"),
    );
  });

  it("rejects an entry whose declared compression ratio marks a zip bomb", async () => {
    await expect(open([{ name: "zeros.bin", content: Buffer.alloc(10 * MiB) }])).rejects.toMatchObject(
      rejected("BAD_USER_INPUT", '"zeros.bin"', "expands", "limit is 200×"),
    );
  });

  it("accepts small files that compress well", async () => {
    const zip = await open([{ name: "blank.txt", content: Buffer.alloc(500_000, " ") }]);
    expect(zip.entries[0]!.sizeBytes).toBe(500_000);
    zip.close();
  });

  it("stops inflating as soon as an entry exceeds the size its header declares", async () => {
    const bomb = Buffer.alloc(20 * MiB, "a");
    const zip = await open([{ name: "liar.bin", content: bomb, declaredSize: 100 }]);
    const stream = await zip.openEntry(zip.entries[0]!);
    let received = 0;
    stream.on("data", (chunk: Buffer) => (received += chunk.length));
    await expect(
      new Promise((resolve, reject) => stream.on("end", resolve).on("error", reject)),
    ).rejects.toMatchObject(rejected("BAD_USER_INPUT", '"liar.bin"', "more than the 100 bytes"));
    expect(received).toBeLessThanOrEqual(100);
    zip.close();
  });

  it("keeps a lying entry's error on the stream until a late consumer attaches, without crashing", async () => {
    const zip = await open([{ name: "late.bin", content: Buffer.alloc(4000), declaredSize: 10 }]);
    const stream = await zip.openEntry(zip.entries[0]!);
    // No consumer yet (as while a blob store creates its temp file): the entry fails meanwhile.
    await new Promise((resolve) => stream.once("close", resolve));
    expect(stream.errored).toMatchObject(rejected("BAD_USER_INPUT", '"late.bin"', "more than the 10 bytes"));
    await expect(readAll(stream)).rejects.toMatchObject(
      rejected("BAD_USER_INPUT", '"late.bin"', "more than the 10 bytes"),
    );
    zip.close();
  });

  it("fails an entry that holds fewer bytes than declared", async () => {
    const zip = await open([{ name: "short.bin", content: Buffer.from("abc"), declaredSize: 10 }]);
    await expect(readAll(await zip.openEntry(zip.entries[0]!))).rejects.toMatchObject(
      rejected("BAD_USER_INPUT", '"short.bin"', "ends after 3 of its declared 10 bytes"),
    );
    zip.close();
  });

  it("fails an entry whose CRC-32 does not match", async () => {
    const zip = await open([{ name: "flipped.bin", content: Buffer.from("abc"), crc: 1234 }]);
    await expect(readAll(await zip.openEntry(zip.entries[0]!))).rejects.toMatchObject(
      rejected("BAD_USER_INPUT", '"flipped.bin"', "CRC-32"),
    );
    zip.close();
  });
});

describe("openSafeZip rejects tricks in the records", () => {
  it("rejects two entries that share the same local data", async () => {
    const kernel = Buffer.alloc(100_000, "k");
    const entries: CraftedEntry[] = [
      { name: "a.bin", content: kernel },
      { name: "b.bin", content: kernel, centralOnly: true, localHeaderOffset: 0 },
    ];
    await expect(open(entries)).rejects.toMatchObject(
      rejected("BAD_USER_INPUT", '"a.bin"', '"b.bin"', "overlap"),
    );
  });

  it("rejects an entry that starts inside another entry's data", async () => {
    const entries: CraftedEntry[] = [
      { name: "outer.bin", content: Buffer.alloc(100_000, "k"), method: "store" },
      {
        name: "inner.bin",
        content: Buffer.alloc(10, "k"),
        method: "store",
        centralOnly: true,
        localHeaderOffset: 50,
      },
    ];
    await expect(open(entries)).rejects.toMatchObject(rejected("BAD_USER_INPUT", "overlap"));
  });

  it("catches the overlap exactly when the entry is opened", async () => {
    // outer's stored data swallows the first 3 bytes of inner's local header. The central directory
    // alone cannot tell (30 + its size still ends before inner), its local name length can.
    const innerFields = {
      name: Buffer.from("inner"),
      method: 0,
      flags: 0x0800,
      crc: crc32("x"),
      compressedSize: 1,
      uncompressedSize: 1,
    };
    const inner = Buffer.concat([localHeader(innerFields), Buffer.from("x")]);
    const outerContent = Buffer.concat([Buffer.from("abc"), inner.subarray(0, 3)]);
    const outerFields = {
      name: Buffer.from("outer"),
      method: 0,
      flags: 0x0800,
      crc: crc32(outerContent),
      compressedSize: 6,
      uncompressedSize: 6,
    };
    const outerLocal = Buffer.concat([localHeader(outerFields), Buffer.from("abc")]);
    const bytes = assemble(Buffer.concat([outerLocal, inner]), [
      centralHeader(outerFields, 0, 0o100644 << 16),
      centralHeader(innerFields, outerLocal.length, 0o100644 << 16),
    ]);
    const zip = await openSafeZip(await zipFile(bytes), limits);
    await expect(zip.openEntry(zip.entries[0]!)).rejects.toMatchObject(
      rejected("BAD_USER_INPUT", '"outer"', '"inner"', "overlap"),
    );
    expect((await readAll(await zip.openEntry(zip.entries[1]!))).toString()).toBe("x");
    zip.close();
  });

  it("rejects encrypted entries", async () => {
    await expect(
      open([{ name: "secret.txt", content: Buffer.from("x"), flags: 0x0801 }]),
    ).rejects.toMatchObject(rejected("BAD_USER_INPUT", '"secret.txt"', "encrypted"));
  });

  it("rejects compression methods it cannot read", async () => {
    await expect(open([{ name: "a.bz2", content: Buffer.from("x"), method: 12 }])).rejects.toMatchObject(
      rejected("BAD_USER_INPUT", '"a.bz2"', "compression method 12"),
    );
  });

  it("rejects a stored entry whose sizes disagree", async () => {
    await expect(
      open([{ name: "s.bin", content: Buffer.from("abc"), method: "store", declaredSize: 9 }]),
    ).rejects.toMatchObject(rejected("BAD_USER_INPUT", '"s.bin"', "declares 9 bytes and holds 3"));
  });
});

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiskStore } from "../../../src/training/service/disk-store";
import { FeatureCache } from "../../../src/training/service/feature-cache";
import { TrainingImageCache } from "../../../src/training/service/image-cache";
import { sha256Of } from "./support/image-dataset";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "tessera-training-cache-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (size: number, fill: number) => new Uint8Array(size).fill(fill);

describe("DiskStore", () => {
  it("removes the least recently used files past its cap, never a pinned one", async () => {
    const store = await DiskStore.open(dir, 300);
    await store.write("a", bytes(100, 1));
    await store.write("b", bytes(100, 2));
    await store.write("c", bytes(100, 3));
    expect(await store.read("a")).toEqual(Buffer.from(bytes(100, 1)));
    const release = store.pin(["b"]);

    await store.write("d", bytes(100, 4));
    expect(["a", "b", "c", "d"].filter((key) => store.has(key))).toEqual(["a", "b", "d"]);
    expect(store.bytes).toBe(300);
    release();
    await store.write("e", bytes(100, 5));
    expect(["a", "b", "d", "e"].filter((key) => store.has(key))).toEqual(["a", "d", "e"]);
    expect(await store.read("b")).toBeNull();
  });

  it("finds its files again after a restart, in their order of use, and drops half-written ones", async () => {
    const first = await DiskStore.open(dir, 1000);
    for (const key of ["x/1", "x/2", "x/3"]) {
      await first.write(key, bytes(100, 9));
      await sleep(20);
    }
    await first.read("x/1");
    writeFileSync(path.join(dir, "x", "4.123.abcdef.tmp"), "cut short");

    const reopened = await DiskStore.open(dir, 300);
    expect(reopened.bytes).toBe(300);
    expect(readdirSync(path.join(dir, "x")).sort()).toEqual(["1", "2", "3"]);
    await reopened.write("x/5", bytes(100, 5));
    expect(["x/1", "x/2", "x/3", "x/5"].filter((key) => reopened.has(key))).toEqual(["x/1", "x/3", "x/5"]);
  });
});

describe("TrainingImageCache", () => {
  it("stores an image under the sha256 of its bytes and reports what it lacks", async () => {
    const cache = await TrainingImageCache.open(dir, 1 << 20);
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: "red" } })
      .png()
      .toBuffer();
    const sha256 = sha256Of(png);
    const other = sha256Of(Buffer.from("other"));
    expect(cache.missing([sha256, other, sha256])).toEqual([sha256, other]);
    await cache.put(sha256, png);
    expect(cache.missing([sha256, other])).toEqual([other]);
    expect(await cache.read(sha256)).toEqual(png);
  });

  it("refuses bytes that do not hash to the sha256 given, bytes that are no image and malformed sha256s", async () => {
    const cache = await TrainingImageCache.open(dir, 1 << 20);
    const text = Buffer.from("plain text");
    const claimed = "0".repeat(64);
    await expect(cache.put(claimed, text)).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: `Image ${claimed} does not match its bytes: the 10 bytes sent hash to ${sha256Of(text)}`,
    });
    await expect(cache.put(sha256Of(text), text)).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: expect.stringContaining("is not a JPEG, PNG, WebP or GIF image"),
    });
    expect(() => cache.missing(["ABC"])).toThrow(
      'sha256[0] must be 64 lower-case hex digits (a sha256); got "ABC"',
    );
  });
});

describe("FeatureCache", () => {
  const key = { base: "feature-embedder/v1", sha256: "ab".repeat(32), variant: "0" };

  it("gives back a vector after a restart from its files alone", async () => {
    const vector = Float32Array.from([0.5, -1.25, 3e-8]);
    await (await FeatureCache.open(dir, 1 << 20, 1 << 20)).put(key, vector);

    const restarted = await FeatureCache.open(dir, 1 << 20, 1 << 20);
    expect(await restarted.get(key)).toEqual(vector);
    expect(await restarted.get({ ...key, variant: "1-7-a1" })).toBeNull();
    expect(await restarted.get({ ...key, base: "backbone/v1/features@0123" })).toBeNull();
  });

  it("keeps only its memory cap of vectors when it has no disk", async () => {
    const cache = await FeatureCache.open(dir, 8, 0);
    await cache.put(key, Float32Array.from([1]));
    await cache.put({ ...key, variant: "1" }, Float32Array.from([2]));
    await cache.get(key);
    await cache.put({ ...key, variant: "2" }, Float32Array.from([3]));
    expect(await cache.get(key)).toEqual(Float32Array.from([1]));
    expect(await cache.get({ ...key, variant: "1" })).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });
});

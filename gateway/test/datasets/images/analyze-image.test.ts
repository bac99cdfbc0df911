import { createHash } from "node:crypto";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import {
  analyzeImage,
  type ImageAnalysis,
  type ImageAnalysisResult,
} from "../../../src/datasets/images/analyze-image";
import { hammingDistance } from "../../../src/datasets/images/perceptual-hash";
import {
  allBadFileKinds,
  generateTextureDataset,
  pixelBombPng,
  type TextureDataset,
} from "../../support/texture-dataset";

const limits = { maxPixels: 50_000_000 };
let dataset: TextureDataset;
const results = new Map<string, ImageAnalysisResult>();

beforeAll(async () => {
  dataset = await generateTextureDataset({ classes: 4, imagesPerClass: 5, inject: allBadFileKinds });
  for (const file of dataset.files) results.set(file.path, await analyzeImage(file.bytes, limits));
});

function analysed(path: string): ImageAnalysis {
  const result = results.get(path);
  if (!result?.ok) throw new Error(`${path} was not analysed: ${JSON.stringify(result)}`);
  return result.image;
}

function injectedPath(kind: string): { path: string; source?: string } {
  const injected = dataset.injected.find((file) => file.kind === kind);
  if (!injected) throw new Error(`no ${kind} injected`);
  return injected;
}

function bytesOf(path: string): Buffer {
  return dataset.files.find((file) => file.path === path)!.bytes;
}

describe("analyzeImage on generated images", () => {
  it("reports the format, size and sha256 each image was generated with", () => {
    expect(dataset.images).toHaveLength(20);
    for (const image of dataset.images) {
      expect(analysed(image.path)).toMatchObject({
        format: image.format,
        width: image.width,
        height: image.height,
        sha256: createHash("sha256").update(bytesOf(image.path)).digest("hex"),
        animated: false,
        frameCount: 1,
      });
      expect(analysed(image.path).perceptualHash).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it("hashes a resized, re-encoded copy within 8 bits and another class's image at least 20 away", () => {
    const near = injectedPath("near-duplicate");
    expect(
      hammingDistance(analysed(near.path).perceptualHash, analysed(near.source!).perceptualHash),
    ).toBeLessThanOrEqual(8);
    // Within a class the phase varies, so a single pair of 1.5-cycle stripes and a gradient can come
    // close; each class's first image against the others', and the average over all pairs, cannot.
    const firsts = dataset.classNames.map((name) =>
      dataset.images.find((image) => image.className === name)!,
    );
    for (const [index, a] of firsts.entries()) {
      for (const b of firsts.slice(index + 1)) {
        const distance = hammingDistance(analysed(a.path).perceptualHash, analysed(b.path).perceptualHash);
        expect(distance, `${a.path} vs ${b.path}`).toBeGreaterThanOrEqual(20);
      }
    }
    const crossClass = dataset.images.flatMap((a) =>
      dataset.images
        .filter((b) => a.className < b.className)
        .map((b) => hammingDistance(analysed(a.path).perceptualHash, analysed(b.path).perceptualHash)),
    );
    expect(
      crossClass.reduce((sum, distance) => sum + distance, 0) / crossClass.length,
    ).toBeGreaterThanOrEqual(26);
  });

  it("gives an exact duplicate the same hashes", () => {
    const duplicate = injectedPath("duplicate");
    expect(analysed(duplicate.path).sha256).toBe(analysed(duplicate.source!).sha256);
    expect(analysed(duplicate.path).perceptualHash).toBe(analysed(duplicate.source!).perceptualHash);
  });

  it("scores a blurred copy lower than its original", () => {
    const blurred = injectedPath("blurred");
    expect(analysed(blurred.path).blurScore).toBeLessThan(analysed(blurred.source!).blurScore / 1.2);
  });

  it("sees an over-exposed copy as bright and mostly clipped", () => {
    const exposure = analysed(injectedPath("over-exposed").path).exposure;
    expect(exposure.meanLuma).toBeGreaterThan(0.9);
    expect(exposure.clippedBrightFraction).toBeGreaterThan(0.5);
  });

  it("analyses the first frame of an animated GIF and says it is animated", () => {
    expect(analysed(injectedPath("animated-gif").path)).toMatchObject({
      format: "gif",
      width: 96,
      height: 96,
      animated: true,
      frameCount: 3,
    });
  });

  it("rejects each bad file with its reason", () => {
    const reasons = Object.fromEntries(
      dataset.injected.map(({ kind, path }) => {
        const result = results.get(path)!;
        return [kind, result.ok ? "ok" : result.rejection.reason];
      }),
    );
    expect(reasons).toEqual({
      "not-an-image": "not-an-image",
      "truncated-jpeg": "corrupt",
      "zero-bytes": "empty-file",
      macosx: "not-an-image",
      "dot-files": "ok", // the last dot-file injected is a valid JPEG in a hidden folder
      "nested-folder": "ok",
      "animated-gif": "ok",
      duplicate: "ok",
      "near-duplicate": "ok",
      blurred: "ok",
      "over-exposed": "ok",
      "pixel-bomb": "too-many-pixels",
    });
    // Analysed one at a time here, so libvips' own wording of the failure always survives.
    const truncated = results.get(injectedPath("truncated-jpeg").path)!;
    expect(truncated.ok ? "" : truncated.rejection.message).toMatch(
      /^The JPEG image is truncated or corrupt: .*premature end/,
    );
    const notAnImage = results.get(injectedPath("not-an-image").path)!;
    expect(notAnImage.ok ? "" : notAnImage.rejection.message).toBe(
      "The file is not a JPEG, PNG, WebP or GIF image (32 bytes starting 54 68 65 73 65 20 61 72)",
    );
  });
});

describe("analyzeImage on single images", () => {
  it("finds a white image all clipped bright, a black one all clipped dark", async () => {
    const white = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#ffffff" } })
      .png()
      .toBuffer();
    const black = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#000000" } })
      .jpeg()
      .toBuffer();
    const whiteResult = await analyzeImage(white, limits);
    const blackResult = await analyzeImage(black, limits);
    expect(whiteResult.ok && whiteResult.image.exposure).toEqual({
      meanLuma: 1,
      clippedDarkFraction: 0,
      clippedBrightFraction: 1,
    });
    expect(blackResult.ok && blackResult.image.exposure).toEqual({
      meanLuma: 0,
      clippedDarkFraction: 1,
      clippedBrightFraction: 0,
    });
    expect(whiteResult.ok && whiteResult.image.blurScore).toBe(0);
  });

  it("applies EXIF orientation to width and height", async () => {
    const sideways = await sharp({ create: { width: 80, height: 30, channels: 3, background: "#336699" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const result = await analyzeImage(sideways, limits);
    expect(result.ok && [result.image.width, result.image.height]).toEqual([30, 80]);
  });

  it("names a recognised but unsupported format", async () => {
    const tiff = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .tiff()
      .toBuffer();
    expect(await analyzeImage(tiff, limits)).toEqual({
      ok: false,
      rejection: {
        reason: "unsupported-format",
        message: "The file is a TIFF image; expected JPEG, PNG, WebP or GIF",
      },
    });
  });

  it("refuses a PNG declaring 100000×100000 from its header, without decoding", async () => {
    const started = performance.now();
    const result = await analyzeImage(pixelBombPng(100_000, 100_000), limits);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result).toEqual({
      ok: false,
      rejection: {
        reason: "too-many-pixels",
        message: "The image is 100000×100000 pixels (10000 MP); at most 50 MP are accepted",
      },
    });
  });

  it("counts differing bits and refuses a malformed hash", () => {
    expect(hammingDistance("0000000000000000", "ffffffffffffffff")).toBe(64);
    expect(hammingDistance("8000000000000001", "0000000000000000")).toBe(2);
    expect(hammingDistance("a5a5a5a5a5a5a5a5", "A5A5A5A5A5A5A5A5")).toBe(0);
    expect(() => hammingDistance("abc", "0000000000000000")).toThrow(RangeError);
  });
});

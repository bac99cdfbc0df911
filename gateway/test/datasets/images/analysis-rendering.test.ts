import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { rendersItself } from "../../../src/datasets/images/analysis-rendering";
import { analyzeImage } from "../../../src/datasets/images/analyze-image";
import { enlargeGrey } from "../../../src/datasets/images/bicubic-enlarge";
import { readImageSignature } from "../../../src/datasets/images/image-signature";
import { readPlainImageHeader } from "../../../src/datasets/images/plain-image-header";
import { laplacianVariance, measureExposure } from "../../../src/datasets/images/image-statistics";
import { perceptualHash } from "../../../src/datasets/images/perceptual-hash";
import { measureEnlargement, measureRendering } from "../../../src/datasets/images/rendering-measures";
import { greyOf, srgbToGrey } from "../../../src/datasets/images/srgb-to-grey";
import { generateTextureDataset } from "../../support/texture-dataset";

const limits = { maxPixels: 50_000_000 };

/** What analyzeImage measured before it rendered small images itself: libvips' rendering, measured apart. */
async function libvipsMeasures(bytes: Buffer) {
  const grey = await sharp(bytes, { failOn: "error", autoOrient: true })
    .resize(256, 256, { fit: "fill" })
    .greyscale()
    .removeAlpha()
    .raw({ depth: "uchar" })
    .toBuffer();
  return {
    perceptualHash: perceptualHash(grey, 256),
    blurScore: laplacianVariance(grey, 256, 256),
    exposure: measureExposure(grey),
  };
}

function waves(width: number, height: number, channels: 1 | 2 | 3 | 4, period: number): Buffer {
  const pixels = Buffer.alloc(width * height * channels);
  for (let index = 0; index < pixels.length; index += 1) {
    pixels[index] = Math.round(127 + 120 * Math.sin(index / period) * Math.cos(index / (3 * period + 1)));
  }
  return pixels;
}

function raw(width: number, height: number, channels: 1 | 2 | 3 | 4, period = 5) {
  return sharp(waves(width, height, channels, period), { raw: { width, height, channels } });
}

let images: Array<{ name: string; bytes: Buffer }>;

beforeAll(async () => {
  const small = await generateTextureDataset({
    classes: 4,
    imagesPerClass: 3,
    seed: 21,
    minSide: 24,
    maxSide: 256,
  });
  images = [
    ...small.files.map((file) => ({ name: file.path, bytes: file.bytes })),
    { name: "grey JPEG", bytes: await raw(70, 90, 1).jpeg().toBuffer() },
    { name: "28×28 grey PNG", bytes: await raw(28, 28, 1, 2).png().toBuffer() },
    { name: "palette PNG", bytes: await raw(50, 40, 3, 9).png({ palette: true }).toBuffer() },
    { name: "WebP", bytes: await raw(120, 33, 3).webp().toBuffer() },
    { name: "1×1 PNG", bytes: await raw(1, 1, 3).png().toBuffer() },
    { name: "256×256 PNG (no resize)", bytes: await raw(256, 256, 3).png().toBuffer() },
    { name: "256×10 JPEG (one axis)", bytes: await raw(256, 10, 3).jpeg().toBuffer() },
    // These take libvips' own path: alpha, a rotation, a side over 256.
    { name: "RGBA PNG", bytes: await raw(60, 60, 4).png().toBuffer() },
    { name: "rotated JPEG", bytes: await raw(80, 30, 3).jpeg().withMetadata({ orientation: 6 }).toBuffer() },
    { name: "300×100 JPEG", bytes: await raw(300, 100, 3).jpeg().toBuffer() },
  ];
});

describe("analyzeImage's rendering", () => {
  it("gives the same perceptual hash, blur score and exposure as libvips' rendering, bit for bit", async () => {
    const itself = await Promise.all(
      images.map(async ({ bytes }) => rendersItself(await sharp(bytes).metadata())),
    );
    expect(images.filter((_, index) => !itself[index]).map(({ name }) => name)).toEqual([
      "RGBA PNG",
      "rotated JPEG",
      "300×100 JPEG",
    ]);
    for (const { name, bytes } of images) {
      const result = await analyzeImage(bytes, limits);
      if (!result.ok) throw new Error(`${name}: ${result.rejection.message}`);
      const { perceptualHash: hash, blurScore, exposure } = result.image;
      expect({ perceptualHash: hash, blurScore, exposure }, name).toEqual(await libvipsMeasures(bytes));
    }
  });
});

describe("enlargeGrey", () => {
  it("pins libvips' bicubic enlargement on tiny images", () => {
    expect([...enlargeGrey(Uint8Array.from([0, 255]), 2, 1, 5, 3)]).toEqual([
      0, 0, 65, 190, 255, 0, 0, 65, 190, 255, 0, 0, 65, 190, 255,
    ]);
    expect([...enlargeGrey(Uint8Array.from([0, 255, 255, 0]), 2, 2, 5, 3)]).toEqual([
      0, 0, 57, 198, 255, 20, 24, 81, 174, 231, 235, 231, 174, 81, 24,
    ]);
    expect([...enlargeGrey(Uint8Array.from([10, 200, 30]), 3, 1, 5, 3)]).toEqual([
      0, 22, 164, 171, 41, 0, 22, 164, 171, 41, 0, 22, 164, 171, 41,
    ]);
  });

  it("equals sharp's resize to 256×256 pixel for pixel, for sides from 1 to 256", async () => {
    for (const [width, height] of [
      [1, 1],
      [1, 256],
      [256, 1],
      [7, 3],
      [97, 131],
      [200, 17],
      [255, 256],
    ] as const) {
      const grey = waves(width, height, 1, 4);
      const expected = await sharp(grey, { raw: { width, height, channels: 1 } })
        .resize(256, 256, { fit: "fill" })
        .greyscale()
        .raw()
        .toBuffer();
      expect(
        Buffer.from(enlargeGrey(grey, width, height, 256, 256)).equals(expected),
        `${width}×${height}`,
      ).toBe(true);
    }
  });

  it("refuses to shrink", () => {
    expect(() => enlargeGrey(new Uint8Array(300), 300, 1, 256, 256)).toThrow(RangeError);
  });
});

describe("srgbToGrey", () => {
  it("pins libvips' luminance on known colours", () => {
    expect([
      greyOf(255, 0, 0),
      greyOf(0, 255, 0),
      greyOf(0, 0, 255),
      greyOf(128, 128, 128),
      greyOf(12, 200, 99),
      greyOf(1, 1, 1),
    ]).toEqual([127, 220, 76, 128, 174, 1]);
  });

  it("equals sharp's greyscale on 65,536 colours spread over the cube", async () => {
    const rgb = new Uint8Array(65_536 * 3);
    for (let index = 0; index < 65_536; index += 1) {
      // Every grey level and primary ramp, then a stride through the cube that lands on odd values too.
      const spread = (index * 2_654_435_761) >>> 8;
      rgb[index * 3] = index < 256 ? index : spread & 255;
      rgb[index * 3 + 1] = index < 256 ? index : (spread >>> 8) & 255;
      rgb[index * 3 + 2] = index < 256 ? index : (spread >>> 16) & 255;
    }
    const expected = await sharp(rgb, { raw: { width: 256, height: 256, channels: 3 } })
      .greyscale()
      .raw()
      .toBuffer();
    expect(Buffer.from(srgbToGrey(rgb, 65_536)).equals(expected)).toBe(true);
  });

  it("equals greyOf, its readable definition, on all 16,777,216 colours", () => {
    const colours = new Uint8Array((1 << 24) * 3);
    for (let colour = 0, at = 0; colour < 1 << 24; colour += 1, at += 3) {
      colours[at] = colour >>> 16;
      colours[at + 1] = (colour >>> 8) & 255;
      colours[at + 2] = colour & 255;
    }
    const grey = srgbToGrey(colours, 1 << 24);
    let differing = 0;
    for (let colour = 0; colour < 1 << 24; colour += 1) {
      if (grey[colour] !== greyOf(colour >>> 16, (colour >>> 8) & 255, colour & 255)) differing += 1;
    }
    expect(differing).toBe(0);
  });
});

describe("measureRendering", () => {
  it("equals perceptualHash, laplacianVariance and measureExposure on the same pixels", () => {
    const flat = new Uint8Array(256 * 256).fill(3);
    const white = new Uint8Array(256 * 256).fill(255);
    const pattern = Uint8Array.from(waves(256, 256, 1, 7));
    for (const grey of [flat, white, pattern]) {
      expect(measureRendering(grey)).toEqual({
        perceptualHash: perceptualHash(grey, 256),
        blurScore: laplacianVariance(grey, 256, 256),
        exposure: measureExposure(grey),
      });
    }
  });
});

describe("measureEnlargement", () => {
  it("equals measureRendering of enlargeGrey, for sides from 1 to 256", () => {
    for (const [width, height] of [
      [1, 1],
      [1, 256],
      [256, 1],
      [2, 3],
      [7, 3],
      [64, 64],
      [97, 131],
      [128, 77],
      [200, 17],
      [255, 256],
      [256, 256],
    ] as const) {
      for (const period of [2, 9]) {
        // Light and dark patches, so the rendering clips at both ends and overshoots past them.
        const grey = Uint8Array.from(waves(width, height, 1, period), (value, index) =>
          index % 5 === 0 ? 255 : index % 7 === 0 ? 0 : value,
        );
        expect(measureEnlargement(grey, width, height), `${width}×${height}, period ${period}`).toEqual(
          measureRendering(enlargeGrey(grey, width, height, 256, 256)),
        );
      }
    }
  });
});

/** The JPEG with a JFIF APP0 segment (version 1.1, no density, no thumbnail) after its SOI. */
function withJfif(jpeg: Buffer): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  return Buffer.concat([jpeg.subarray(0, 2), app0, jpeg.subarray(2)]);
}

describe("readPlainImageHeader", () => {
  it("calls plain only headers sharp's header also finds plain, with the same size and channels", async () => {
    const rgb = (width: number, height: number, channels: 1 | 2 | 3 | 4 = 3) => raw(width, height, channels);
    const cases: Array<[string, Promise<Buffer>, boolean]> = [
      ["RGB JPEG", rgb(90, 60).jpeg().toBuffer(), true],
      ["grey JPEG", rgb(30, 70, 1).jpeg().toBuffer(), true],
      ["progressive JPEG", rgb(120, 40).jpeg({ progressive: true }).toBuffer(), true],
      ["JPEG with a JFIF segment", rgb(40, 40).jpeg().toBuffer().then(withJfif), true],
      ["JPEG with a density", rgb(40, 40).jpeg().withMetadata({ density: 300 }).toBuffer(), false],
      ["JPEG rotated by EXIF", rgb(40, 30).jpeg().withMetadata({ orientation: 6 }).toBuffer(), false],
      [
        "JPEG with EXIF, upright",
        rgb(40, 30)
          .jpeg()
          .withExif({ IFD0: { Copyright: "x" } })
          .toBuffer(),
        false,
      ],
      ["JPEG with an ICC profile", rgb(40, 30).jpeg().withIccProfile("p3").toBuffer(), false],
      ["CMYK JPEG", rgb(40, 30).toColourspace("cmyk").jpeg().toBuffer(), false],
      ["RGB PNG", rgb(70, 50).png().toBuffer(), true],
      ["grey PNG", rgb(70, 50, 1).png().toBuffer(), true],
      ["interlaced PNG", rgb(33, 21).png({ progressive: true }).toBuffer(), true],
      ["RGBA PNG", rgb(50, 50, 4).png().toBuffer(), false],
      ["grey and alpha PNG", rgb(50, 50, 2).png().toBuffer(), false],
      ["palette PNG", rgb(50, 40).png({ palette: true }).toBuffer(), false],
      ["16-bit PNG", rgb(50, 40).toColourspace("rgb16").png().toBuffer(), false],
      ["PNG with an ICC profile", rgb(50, 40).png().withIccProfile("p3").toBuffer(), false],
      ["PNG rotated by EXIF", rgb(50, 40).png().withMetadata({ orientation: 8 }).toBuffer(), false],
      ["lossy WebP", rgb(64, 48).webp().toBuffer(), true],
      ["lossless WebP", rgb(64, 48).webp({ lossless: true }).toBuffer(), false],
      ["WebP with alpha", rgb(64, 48, 4).webp().toBuffer(), false],
      ["WebP with an ICC profile", rgb(64, 48).webp().withIccProfile("p3").toBuffer(), false],
      ["GIF", rgb(20, 20).gif().toBuffer(), false],
    ];
    const verdicts: Record<string, boolean> = {};
    for (const [name, made, _expected] of cases) {
      const bytes = await made;
      const signature = readImageSignature(bytes);
      if (signature.kind !== "accepted") throw new Error(`${name}: not an accepted image`);
      const plain = readPlainImageHeader(bytes, signature.format);
      verdicts[name] = plain !== null;
      if (!plain) continue;
      const header = await sharp(bytes).metadata();
      expect(rendersItself(header), name).toBe(true);
      expect(plain, name).toEqual({ width: header.width, height: header.height, channels: header.channels });
    }
    expect(verdicts).toEqual(Object.fromEntries(cases.map(([name, , expected]) => [name, expected])));
  });
});

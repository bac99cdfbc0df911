import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { augmentImage } from "../../../src/training/augment/augment-image";
import {
  augmentationRanges,
  drawAugmentation,
  type Augmentation,
} from "../../../src/training/augment/augmentation";
import { sha256Of } from "./support/image-dataset";

const width = 48;
const height = 40;

/** Left half red, right half blue, a green diagonal: flips, crops and rotations all show. */
function drawing(): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = Math.abs(x - y) < 3 ? [40, 200, 60] : x < width / 2 ? [210, 50, 40] : [40, 60, 210];
      data.set(colour, (y * width + x) * 3);
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

async function pixels(png: Uint8Array): Promise<{ width: number; height: number; data: Buffer }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data };
}

function meanDifference(a: Buffer, b: Buffer): number {
  let total = 0;
  for (let index = 0; index < a.length; index++) total += Math.abs(a[index]! - b[index]!);
  return total / a.length;
}

describe("augmented copies", () => {
  let original: Buffer;
  let sha256: string;

  beforeAll(async () => {
    original = await drawing();
    sha256 = sha256Of(original);
  });

  it("are the same image every time for the same seed, image and variant", async () => {
    const first = await augmentImage(original, drawAugmentation(7, sha256, 3));
    const again = await augmentImage(original, drawAugmentation(7, sha256, 3));
    expect(again.equals(first)).toBe(true);
  });

  it("differ from the original, from each other and under another seed, at the original's size", async () => {
    const base = await pixels(original);
    const copies = await Promise.all(
      [
        [7, 1],
        [7, 2],
        [8, 1],
      ].map(([seed, variant]) =>
        augmentImage(original, drawAugmentation(seed!, sha256, variant!)).then(pixels),
      ),
    );
    for (const copy of copies) {
      expect([copy.width, copy.height]).toEqual([width, height]);
      expect(meanDifference(copy.data, base.data)).toBeGreaterThan(5);
    }
    expect(meanDifference(copies[0]!.data, copies[1]!.data)).toBeGreaterThan(5);
    expect(meanDifference(copies[0]!.data, copies[2]!.data)).toBeGreaterThan(5);
  });

  it("mirror left to right when flipped, and nothing else changes without the other choices", async () => {
    const identity: Augmentation = {
      flip: false,
      rotation: 0,
      cropArea: 1,
      cropAspect: 1,
      cropX: 0,
      cropY: 0,
      brightness: 1,
      saturation: 1,
      hue: 0,
    };
    const unchanged = await pixels(await augmentImage(original, identity));
    expect(meanDifference(unchanged.data, (await pixels(original)).data)).toBe(0);
    const mirrored = await pixels(await augmentImage(original, { ...identity, flip: true }));
    const at = (image: typeof mirrored, x: number, y: number) => [
      ...image.data.subarray((y * width + x) * 3, (y * width + x) * 3 + 3),
    ];
    expect(at(mirrored, 2, 30)).toEqual([40, 60, 210]);
    expect(at(mirrored, width - 3, 30)).toEqual([210, 50, 40]);
  });

  it("show no empty corners after the largest rotation", async () => {
    const grey = await sharp({
      create: { width, height, channels: 3, background: { r: 128, g: 128, b: 128 } },
    })
      .png()
      .toBuffer();
    for (const rotation of [-15, 15]) {
      const rotated = await pixels(
        await augmentImage(grey, {
          flip: false,
          rotation,
          cropArea: 1,
          cropAspect: 1,
          cropX: 0.5,
          cropY: 0.5,
          brightness: 1,
          saturation: 1,
          hue: 0,
        }),
      );
      expect(Math.min(...rotated.data)).toBeGreaterThan(110);
    }
  });

  it("draw their choices within the documented ranges", () => {
    const draws = Array.from({ length: 300 }, (_, variant) => drawAugmentation(11, sha256, variant + 1));
    for (const draw of draws) {
      expect(Math.abs(draw.rotation)).toBeLessThanOrEqual(augmentationRanges.rotation);
      expect(draw.cropArea).toBeGreaterThanOrEqual(0.7);
      expect(draw.cropArea).toBeLessThanOrEqual(1);
      expect(draw.cropAspect).toBeGreaterThanOrEqual(3 / 4);
      expect(draw.cropAspect).toBeLessThanOrEqual(4 / 3);
      for (const factor of [draw.brightness, draw.saturation]) {
        expect(factor).toBeGreaterThanOrEqual(0.8);
        expect(factor).toBeLessThanOrEqual(1.2);
      }
      expect(Number.isInteger(draw.hue) && Math.abs(draw.hue) <= augmentationRanges.hue).toBe(true);
    }
    const flipped = draws.filter((draw) => draw.flip).length;
    expect(flipped).toBeGreaterThan(100);
    expect(flipped).toBeLessThan(200);
  });
});

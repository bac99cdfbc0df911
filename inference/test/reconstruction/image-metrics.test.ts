import { describe, expect, it } from "vitest";
import { psnr, ssim } from "../../src/reconstruction/image-metrics";

const filled = (pixels: number, value: (i: number) => number) =>
  Float32Array.from({ length: pixels * 3 }, (_, i) => value(i));

/** A pattern with structure at several scales, the same on every run. */
const pattern = (width: number, height: number, phase: number) =>
  filled(width * height, (i) => {
    const pixel = Math.floor(i / 3);
    const x = pixel % width;
    const y = Math.floor(pixel / width);
    return 0.5 + 0.4 * Math.sin(x * 0.7 + phase) * Math.cos(y * 0.45 + (i % 3));
  });

/** SSIM straight from its definition: a 2-D 11×11 Gaussian window at every valid position. */
function referenceSsim(a: Float32Array, b: Float32Array, width: number, height: number): number {
  const weights: number[] = [];
  for (let dy = -5; dy <= 5; dy++)
    for (let dx = -5; dx <= 5; dx++) weights.push(Math.exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5)));
  const total = weights.reduce((s, w) => s + w, 0);
  let sum = 0;
  let count = 0;
  for (let c = 0; c < 3; c++) {
    for (let y = 5; y < height - 5; y++) {
      for (let x = 5; x < width - 5; x++) {
        let [mx, my, mxx, myy, mxy] = [0, 0, 0, 0, 0];
        for (let dy = -5; dy <= 5; dy++) {
          for (let dx = -5; dx <= 5; dx++) {
            const w = weights[(dy + 5) * 11 + dx + 5]! / total;
            const p = ((y + dy) * width + x + dx) * 3 + c;
            mx += w * a[p]!;
            my += w * b[p]!;
            mxx += w * a[p]! * a[p]!;
            myy += w * b[p]! * b[p]!;
            mxy += w * a[p]! * b[p]!;
          }
        }
        const c1 = 1e-4;
        const c2 = 9e-4;
        sum +=
          ((2 * mx * my + c1) * (2 * (mxy - mx * my) + c2)) /
          ((mx * mx + my * my + c1) * (mxx - mx * mx + myy - my * my + c2));
        count++;
      }
    }
  }
  return sum / count;
}

describe("psnr", () => {
  it("is 20 dB for a uniform error of 0.1 and 10·log10(1/mse) in general", () => {
    const a = filled(4, () => 0.5);
    expect(
      psnr(
        a,
        filled(4, () => 0.6),
      ),
    ).toBeCloseTo(20, 5);
    const b = filled(4, (i) => (i === 0 ? 0.5 + 0.3 : 0.5));
    expect(psnr(a, b)).toBeCloseTo(-10 * Math.log10(0.09 / 12), 4);
  });

  it("is infinite for identical images and refuses images of different sizes", () => {
    const a = filled(2, (i) => i / 6);
    expect(psnr(a, a)).toBe(Infinity);
    expect(() =>
      psnr(
        a,
        filled(3, () => 0),
      ),
    ).toThrow(RangeError);
  });
});

describe("ssim", () => {
  it("is 1 for identical images", () => {
    const a = pattern(16, 12, 0);
    expect(ssim(a, a, 16, 12)).toBeCloseTo(1, 10);
  });

  it("matches the closed form on constant images (only the luminance term remains)", () => {
    const value = ssim(
      filled(144, () => 0.5),
      filled(144, () => 0.25),
      12,
      12,
    );
    expect(value).toBeCloseTo((2 * 0.5 * 0.25 + 1e-4) / (0.25 + 0.0625 + 1e-4), 6);
  });

  it("matches the 2-D definition on a structured pair, and pins its value", () => {
    const a = pattern(17, 13, 0);
    const b = pattern(17, 13, 0.6);
    const value = ssim(a, b, 17, 13);
    expect(value).toBeCloseTo(referenceSsim(a, b, 17, 13), 6);
    expect(value).toBeCloseTo(GOLDEN_STRUCTURED, 6);
  });

  it("refuses images smaller than the window or of the wrong length", () => {
    expect(() =>
      ssim(
        filled(100, () => 0),
        filled(100, () => 0),
        10,
        10,
      ),
    ).toThrow(RangeError);
    expect(() =>
      ssim(
        filled(144, () => 0),
        filled(144, () => 0),
        12,
        11,
      ),
    ).toThrow(RangeError);
  });
});

const GOLDEN_STRUCTURED = 0.8142731;

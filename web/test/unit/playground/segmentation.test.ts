import { describe, expect, it } from "vitest";
import { pngBitDepth } from "../../../src/playground/mask-pixels";
import { areaPercentages, formatArea } from "../../../src/playground/segment-areas";
import { classColour, colourMask } from "../../../src/playground/segment-colours";

describe("per-class areas", () => {
  it("adds up to exactly 100% for classes that cover the image, where rounding each alone would not", () => {
    // Each third alone rounds to 33.3%, which would leave the table at 99.9%.
    const shares = areaPercentages([1, 1, 1], 3);
    expect(shares).toEqual([33.4, 33.3, 33.3]);
    expect(shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(100, 10);

    const mixed = areaPercentages([6001, 2999, 667, 333], 10_000);
    expect(mixed).toEqual([60, 30, 6.7, 3.3]);

    const uneven = areaPercentages([2, 2, 2, 1], 7);
    expect(uneven).toEqual([28.6, 28.6, 28.5, 14.3]);
    expect(uneven.reduce((sum, share) => sum + share, 0)).toBeCloseTo(100, 10);
  });

  it("leaves shares of classes that cover part of the image as they are", () => {
    expect(areaPercentages([250, 250], 1000)).toEqual([25, 25]);
    expect(areaPercentages([5], 0)).toEqual([0]);
  });

  it("never shows a present class as 0%", () => {
    const shares = areaPercentages([999_999, 1], 1_000_000);
    expect(shares).toEqual([100, 0]);
    expect(formatArea(shares[1]!, 1)).toBe("<0.1%");
    expect(formatArea(shares[0]!, 999_999)).toBe("100.0%");
    expect(formatArea(0, 0)).toBe("0.0%");
  });
});

describe("class colours", () => {
  it("gives every class of a large model its own colour, the same on every run", () => {
    const colours = Array.from({ length: 150 }, (_, index) => classColour(index).join(","));
    expect(new Set(colours).size).toBe(150);
    expect(classColour(3)).toEqual(classColour(3));
    for (const colour of colours) {
      for (const channel of colour.split(",").map(Number))
        expect(channel).toSatisfy((value: number) => value >= 0 && value <= 255);
    }
  });

  it("paints each mask pixel with its class colour, opaque, and leaves hidden classes transparent", () => {
    // Three pixels of a greyscale mask as a canvas decodes it: class 0, class 2, class 5.
    const mask = Uint8ClampedArray.of(0, 0, 0, 255, 2, 2, 2, 255, 5, 5, 5, 255);
    const overlay = colourMask(mask, new Set([2]));
    expect([...overlay.slice(0, 4)]).toEqual([...classColour(0), 255]);
    expect([...overlay.slice(4, 8)]).toEqual([0, 0, 0, 0]);
    expect([...overlay.slice(8, 12)]).toEqual([...classColour(5), 255]);
  });
});

describe("the mask's PNG header", () => {
  const ascii = (text: string) => [...new TextEncoder().encode(text)];
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  // IHDR: length 13, type, width 4, height 3, then the bit depth.
  const header = (bitDepth: number, type = "IHDR") =>
    Uint8Array.from([
      ...signature,
      ...[0, 0, 0, 13],
      ...ascii(type),
      ...[0, 0, 0, 4],
      ...[0, 0, 0, 3],
      bitDepth,
    ]);

  it("tells an 8-bit mask (up to 256 classes) from a 16-bit one", () => {
    expect(pngBitDepth(header(8))).toBe(8);
    expect(pngBitDepth(header(16))).toBe(16);
  });

  it("reads nothing from bytes that are not a PNG", () => {
    expect(pngBitDepth(Uint8Array.from(ascii("<html>not found</html>, long enough")))).toBeNull();
    expect(pngBitDepth(header(8, "IDAT"))).toBeNull();
    expect(pngBitDepth(header(8).subarray(0, 20))).toBeNull();
  });
});

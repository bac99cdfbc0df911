import { describe, expect, it } from "vitest";
import type { RgbPixels } from "../../../src/images/decode-image";
import { colourPlanes } from "../../../src/tasks/embedding/colour-planes";
import { hueHistogram, lumaLayout } from "../../../src/tasks/embedding/layout-descriptor";
import { describeShape, embedShapePixels } from "../../../src/tasks/embedding/shape-descriptor";

const side = 128;

function image(colourAt: (x: number, y: number) => readonly number[]): RgbPixels {
  const data = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) data.set(colourAt(x, y), (y * side + x) * 3);
  return { width: side, height: side, data };
}

const checker = image((x, y) =>
  (Math.floor(x / 16) + Math.floor(y / 16)) % 2 === 0 ? [200, 40, 40] : [20, 60, 180],
);

describe("the shape descriptor (feature embedder version 2)", () => {
  it("gives pinned values for a 16-pixel red and blue checkerboard", () => {
    const golden = [
      -0.37366220355033875, -0.573453962802887, 0.36882296204566956, 0.08440724015235901,
      -0.20224376022815704, 0.1534070074558258, 0.2187914103269577, 0.525420069694519,
    ];
    expect(Array.from(embedShapePixels(checker, 8))).toEqual(golden);
    expect(describeShape(checker)).toHaveLength(816);
  });

  it("is the same for the same pixels, in a fresh copy", () => {
    const copy = { ...checker, data: checker.data.slice() };
    expect(embedShapePixels(copy, 256)).toEqual(embedShapePixels(checker, 256));
  });

  it("reads a grey image as one plane with no hue, and a colour one as three", () => {
    const grey = image((x) => [x * 2, x * 2, x * 2]);
    expect(colourPlanes(grey).planes).toHaveLength(1);
    expect(colourPlanes(checker).planes).toHaveLength(3);
    expect(Array.from(hueHistogram(grey)).every((value) => value === 0)).toBe(true);
  });

  it("splits a pure red pixel's hue vote between the bins either side of 0°", () => {
    const red = { width: 1, height: 1, data: Uint8Array.from([255, 0, 0]) };
    const bins = hueHistogram(red);
    expect(bins[0]).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(bins[11]).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(bins.slice(1, 11).every((value) => value === 0)).toBe(true);
  });

  it("lays out luma standardised and bounded", () => {
    const plane = { width: 2, height: 2, values: Float64Array.from([0, 255, 255, 0]) };
    const expected = 127.5 / (3 * (127.5 + 8)) / 2;
    const layout = lumaLayout(plane, 2);
    [-expected, expected, expected, -expected].forEach((value, index) =>
      expect(layout[index]).toBeCloseTo(value, 12),
    );
  });

  it("refuses pixels of another size", () => {
    expect(() => describeShape({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3) })).toThrow(
      /takes 128×128 pixels; got 64×64/,
    );
  });
});

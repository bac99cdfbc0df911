import { describe, expect, it } from "vitest";
import {
  coarserPooling,
  normalisedCells,
  orientationSpectrum,
  pooledOrientations,
  unsignedOrientations,
} from "../../../src/tasks/embedding/oriented-gradients";

/** 4×4, dark left half, bright right half: the four interior pixels each see dx = 255, dy = 0. */
const verticalEdge = {
  width: 4,
  height: 4,
  values: Float64Array.from({ length: 16 }, (_, index) => (index % 4 < 2 ? 0 : 255)),
};

describe("oriented gradients", () => {
  it("votes a dark-to-light vertical edge half into each bin beside 0°", () => {
    const pooled = pooledOrientations([verticalEdge], 1);
    expect(pooled.totalMagnitude).toBe(4 * 255);
    const expected = new Float64Array(18);
    expected[0] = 510;
    expected[17] = 510;
    expect(pooled.cells).toEqual(expected);
  });

  it("takes each pixel's gradient from the plane where it is strongest", () => {
    const flat = { ...verticalEdge, values: new Float64Array(16).fill(90) };
    const weak = { ...verticalEdge, values: verticalEdge.values.map((value) => value / 5) };
    const pooled = pooledOrientations([flat, weak, verticalEdge], 1);
    expect(pooled.cells).toEqual(pooledOrientations([verticalEdge], 1).cells);
  });

  it("folds opposite directions into unsigned bins and pools cells into coarser ones", () => {
    const light = pooledOrientations([verticalEdge], 2);
    const dark = pooledOrientations(
      [{ ...verticalEdge, values: verticalEdge.values.map((v) => 255 - v) }],
      2,
    );
    expect(unsignedOrientations(light).cells).toEqual(unsignedOrientations(dark).cells);
    expect(unsignedOrientations(light).binCount).toBe(9);
    expect(coarserPooling(light, 2).cells).toEqual(pooledOrientations([verticalEdge], 1).cells);
  });

  it("normalises cells by the whole image's magnitude plus a floor, square-rooted", () => {
    const cells = normalisedCells(pooledOrientations([verticalEdge], 1), 1);
    expect(cells[0]).toBeCloseTo(Math.sqrt(510 / (1020 + 16)), 12);
    expect(cells[17]).toBeCloseTo(Math.sqrt(510 / (1020 + 16)), 12);
  });

  it("reads one direction, two at right angles and none from the orientation spectrum", () => {
    expect(Array.from(orientationSpectrum([2, 0, 0, 0, 0, 0, 0, 0], 4))).toEqual([1, 1, 1, 1]);
    const crossed = orientationSpectrum([1, 0, 0, 0, 1, 0, 0, 0], 4);
    [0, 1, 0, 1].forEach((value, index) => expect(crossed[index]).toBeCloseTo(value, 12));
    expect(Array.from(orientationSpectrum(new Array(8).fill(3), 4)).every((v) => Math.abs(v) < 1e-12)).toBe(
      true,
    );
    expect(Array.from(orientationSpectrum(new Array(8).fill(0), 2))).toEqual([0, 0]);
  });
});

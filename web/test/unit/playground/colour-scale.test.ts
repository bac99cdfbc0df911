import { describe, expect, it } from "vitest";
import { colouriseLevels } from "../../../../inference/src/tasks/turbo-colormap";
import {
  formatScaleValue,
  rgbCss,
  scalePosition,
  scaleTicks,
  turboColour,
  turboGradient,
} from "../../../src/playground/turbo-colour-scale";

/** The colour the inference tier paints a pixel whose depth sits at `position` of the range. */
function previewColour(position: number): number[] {
  return [...colouriseLevels(Uint16Array.of(Math.round(position * 65535)))];
}

describe("the depth legend's colour scale", () => {
  it("shows exactly the colours the server painted the preview with, level by level", () => {
    for (let step = 0; step <= 1000; step++) {
      const position = step / 1000;
      expect([...turboColour(position)], `at ${position}`).toEqual(previewColour(position));
    }
  });

  it("runs from dark blue at the smallest value to dark red at the largest, clamping outside", () => {
    expect(turboColour(0)).toEqual([35, 23, 27]);
    expect(turboColour(1)).toEqual([144, 13, 0]);
    expect(turboColour(-3)).toEqual(turboColour(0));
    expect(turboColour(7)).toEqual(turboColour(1));
    expect(turboColour(Number.NaN)).toEqual(turboColour(0));
  });

  it("draws the legend bar as a left-to-right gradient through evenly spaced colours", () => {
    const gradient = turboGradient(3);
    expect(gradient).toBe(
      `linear-gradient(to right, ${rgbCss(turboColour(0))} 0.00%, ${rgbCss(turboColour(0.5))} 50.00%, ` +
        `${rgbCss(turboColour(1))} 100.00%)`,
    );
    expect(turboGradient().match(/rgb\(/g)).toHaveLength(32);
  });

  it("places a raw value on the scale the server drew from min to max", () => {
    expect(scalePosition(2.5, 1, 4)).toBe(0.5);
    expect(scalePosition(0, 1, 4)).toBe(0);
    expect(scalePosition(9, 1, 4)).toBe(1);
    expect(scalePosition(3, 3, 3)).toBe(0);
  });

  it("labels the scale with evenly spaced values from the API's min to its max", () => {
    expect(scaleTicks(0.5, 4.5)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5]);
    expect(scaleTicks(-1, 1, 3)).toEqual([-1, 0, 1]);
    // The last tick is the API's max exactly, not a sum that drifted.
    expect(scaleTicks(0.1, 0.7, 4).at(-1)).toBe(0.7);
    expect(scaleTicks(2, 2)).toEqual([2]);
  });

  it("writes tick values with the digits the span needs", () => {
    expect(scaleTicks(0.1234, 0.5678).map((tick) => formatScaleValue(tick, 0.5678 - 0.1234))).toEqual([
      "0.12",
      "0.23",
      "0.35",
      "0.46",
      "0.57",
    ]);
    expect(formatScaleValue(12, 468)).toBe("12");
    expect(formatScaleValue(480, 468)).toBe("480");
    expect(formatScaleValue(1.5, 6)).toBe("1.5");
    expect(formatScaleValue(2_500_000, 2_000_000)).toBe("2.50e+6");
    expect(formatScaleValue(0.0002, 0.0001)).toBe("2.00e-4");
    expect(formatScaleValue(3, 0)).toBe("3.0");
  });
});

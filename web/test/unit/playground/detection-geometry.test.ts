import { describe, expect, it } from "vitest";
import {
  countByLabel,
  drawnBox,
  formatBox,
  formatBoxSize,
  labelFontSize,
} from "../../../src/playground/detection-boxes";
import {
  detectionSettingOf,
  detectionSettingsOf,
  initialDetectionSettings,
} from "../../../src/playground/detection-settings";

describe("where a box and its label are drawn", () => {
  it("puts the label's tag above a box with room for it, sized by its text", () => {
    // 9 characters at 4 px: (9 × 0.6 + 2 × 0.3) em = 24 px wide, 1.6 em = 6.4 px high.
    const drawn = drawnBox({ x1: 10, y1: 20, x2: 50, y2: 80 }, "dog 90.0%", 100, 100, 4);
    expect(drawn).toMatchObject({ x: 10, y: 20, width: 40, height: 60 });
    expect(drawn.tag.x).toBe(10);
    expect(drawn.tag.y).toBeCloseTo(13.6, 10);
    expect(drawn.tag.width).toBeCloseTo(24, 10);
    expect(drawn.tag.height).toBeCloseTo(6.4, 10);
    expect(drawn.text.x).toBeCloseTo(11.2, 10);
    expect(drawn.text.y).toBeCloseTo(13.6 + 4.4, 10);
  });

  it("puts the tag inside a box at the top edge, and pulls it left of the right edge", () => {
    const drawn = drawnBox({ x1: 90, y1: 2, x2: 99, y2: 30 }, "dog 90.0%", 100, 100, 4);
    expect(drawn.tag.y).toBe(2);
    expect(drawn.tag.x).toBeCloseTo(76, 10);
  });

  it("clips a box that reaches past the image and orders swapped corners", () => {
    expect(drawnBox({ x1: 120, y1: 130, x2: -5, y2: 90 }, "a", 100, 100, 4)).toMatchObject({
      x: 0,
      y: 90,
      width: 100,
      height: 10,
    });
  });

  it("sizes labels by the image's longer side, so they look alike on screen whatever the source size", () => {
    expect(labelFontSize(640, 480)).toBeCloseTo(20.48, 10);
    expect(labelFontSize(50, 200)).toBeCloseTo(6.4, 10);
  });

  it("words boxes, sizes and the count of each label as a person reads them", () => {
    expect(formatBox({ x1: 12.4, y1: 30.5, x2: 140, y2: 199.6 })).toBe("(12, 31)–(140, 200)");
    expect(formatBoxSize({ x1: 12.4, y1: 30.5, x2: 140, y2: 199.6 })).toBe("128 × 169");
    expect(countByLabel(["dog", "person", "person", "cat"])).toEqual([
      { label: "person", count: 2 },
      { label: "dog", count: 1 },
      { label: "cat", count: 1 },
    ]);
  });
});

describe("the detection settings sent", () => {
  it("starts at the gateway's defaults", () => {
    expect(detectionSettingsOf(initialDetectionSettings())).toEqual({
      minScore: 0.25,
      iou: 0.7,
      maxDetections: 300,
    });
  });

  it("keeps each within the gateway's bounds, rounds the box count, and takes the default for a blank", () => {
    expect(detectionSettingOf("minScore", "2")).toBe(1);
    // The gateway takes thresholds above 0: the field's floor is 0.01.
    expect(detectionSettingOf("minScore", "0")).toBe(0.01);
    expect(detectionSettingOf("iou", " ")).toBe(0.7);
    expect(detectionSettingOf("iou", "0.45")).toBe(0.45);
    expect(detectionSettingOf("maxDetections", "12.6")).toBe(13);
    expect(detectionSettingOf("maxDetections", "0")).toBe(1);
    expect(detectionSettingOf("maxDetections", "5000")).toBe(1000);
    expect(detectionSettingOf("maxDetections", "many")).toBe(300);
  });
});

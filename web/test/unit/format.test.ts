import { describe, expect, it } from "vitest";
import { formatBytes, formatDimensions, formatEnum, formatFraction } from "../../src/ui/format";

describe("figures as people read them", () => {
  it("writes sizes in decimal units", () => {
    expect([0, 999, 1000, 1234, 45_600_000, 2_000_000_000].map(formatBytes)).toEqual([
      "0 B",
      "999 B",
      "1.0 kB",
      "1.2 kB",
      "45.6 MB",
      "2.0 GB",
    ]);
  });

  it("writes enum values as words and names as their owners spell them", () => {
    expect(["DEPTH_ESTIMATION", "ONNX", "PYTORCH", "TEXT_TO_3D", "READY"].map(formatEnum)).toEqual([
      "Depth estimation",
      "ONNX",
      "PyTorch",
      "Text to 3D",
      "Ready",
    ]);
  });

  it("keeps symbolic dimensions and shows accuracies as percentages", () => {
    expect(formatDimensions(["batch", "3", "224", "224"])).toBe("batch × 3 × 224 × 224");
    expect(formatFraction(0.9234)).toBe("92.3%");
    expect(formatFraction(null)).toBe("—");
  });
});

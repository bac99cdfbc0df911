import { describe, expect, it } from "vitest";
import { describeImage, pairFactsOf, shortSessionId } from "../../../src/pairs/pair-images";

describe("what a pair's metadata says", () => {
  it("reads the measured format, size and bytes of both images", () => {
    const facts = pairFactsOf({
      original: { format: "png", width: 640, height: 480, sizeBytes: 120_400 },
      transformed: { format: "jpeg", width: 640, height: 480, sizeBytes: 48_000 },
    });
    expect(facts && describeImage(facts.original)).toBe("PNG · 640 × 480 · 120 kB");
    expect(facts && describeImage(facts.transformed)).toBe("JPEG · 640 × 480 · 48.0 kB");
  });

  it("trusts nothing of metadata that is not shaped as the gateway writes it", () => {
    expect(pairFactsOf(null)).toBeNull();
    expect(pairFactsOf("png")).toBeNull();
    expect(pairFactsOf({ original: { format: "png", width: 1, height: 1 } })).toBeNull();
    expect(pairFactsOf({ original: { format: "png", width: "1", height: 1 }, transformed: {} })).toBeNull();
    const noSize = pairFactsOf({
      original: { format: "gif", width: 2, height: 3 },
      transformed: { format: "webp", width: 2, height: 3 },
    });
    expect(noSize && describeImage(noSize.original)).toBe("GIF · 2 × 3");
  });

  it("shortens long session ids as git shortens hashes", () => {
    expect(shortSessionId("5f2b7c1e-9d3a-4b8e-a1f0-0c9d8e7f6a5b")).toBe("5f2b7c1e…");
    expect(shortSessionId("web-42")).toBe("web-42");
  });
});

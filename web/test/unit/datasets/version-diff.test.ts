import { describe, expect, it } from "vitest";
import { classChanges, formatCountChange, formatDiff } from "../../../src/datasets/version-diff";

describe("formatDiff", () => {
  it("names each kind of change that happened, then what stayed", () => {
    expect(formatDiff({ added: 12, removed: 3, relabelled: 5, unchanged: 1480 })).toBe(
      "+12 added · −3 removed · 5 relabelled · 1,480 unchanged",
    );
    expect(formatDiff({ added: 0, removed: 2, relabelled: 0, unchanged: 8 })).toBe(
      "−2 removed · 8 unchanged",
    );
  });

  it("says so when nothing changed", () => {
    expect(formatDiff({ added: 0, removed: 0, relabelled: 0, unchanged: 40 })).toBe("No changes");
    expect(formatDiff({ added: 0, removed: 0, relabelled: 0, unchanged: 0 })).toBe("Both empty");
  });
});

describe("classChanges", () => {
  it("lists new and dropped classes first, then the biggest changes, then the unchanged", () => {
    const before = [
      { name: "cat", count: 10 },
      { name: "dog", count: 10 },
      { name: "bird", count: 4 },
      { name: "fish", count: 7 },
    ];
    const after = [
      { name: "cat", count: 12 },
      { name: "dog", count: 3 },
      { name: "fish", count: 7 },
      { name: "horse", count: 5 },
    ];
    expect(classChanges(before, after)).toEqual([
      { name: "horse", before: 0, after: 5, change: "added" },
      { name: "bird", before: 4, after: 0, change: "removed" },
      { name: "dog", before: 10, after: 3, change: "shrank" },
      { name: "cat", before: 10, after: 12, change: "grew" },
      { name: "fish", before: 7, after: 7, change: "same" },
    ]);
  });
});

describe("formatCountChange", () => {
  it("signs the difference with a real minus", () => {
    expect(formatCountChange(10, 12)).toBe("+2");
    expect(formatCountChange(1500, 3)).toBe("−1,497");
    expect(formatCountChange(7, 7)).toBe("0");
  });
});

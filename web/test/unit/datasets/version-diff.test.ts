import { describe, expect, it } from "vitest";
import { classChanges, classTotals, formatCountChange, formatDiff } from "../../../src/datasets/version-diff";

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
    const classes = [
      { name: "cat", added: 3, removed: 1, before: 10, after: 12 },
      { name: "dog", added: 0, removed: 7, before: 10, after: 3 },
      { name: "bird", added: 0, removed: 4, before: 4, after: 0 },
      { name: "fish", added: 1, removed: 1, before: 7, after: 7 },
      { name: "eel", added: 0, removed: 0, before: 2, after: 2 },
      { name: "horse", added: 5, removed: 0, before: 0, after: 5 },
    ];
    expect(classChanges(classes).map(({ name, change }) => `${name} ${change}`)).toEqual([
      "horse added",
      "bird removed",
      "dog shrank",
      "cat grew",
      // Same size, but one image moved in and one out: listed before the class nothing touched.
      "fish same",
      "eel same",
    ]);
  });
});

describe("classTotals", () => {
  it("sums each column of the per-class table", () => {
    expect(
      classTotals([
        { name: "cat", added: 3, removed: 1, before: 10, after: 12 },
        { name: "dog", added: 0, removed: 7, before: 10, after: 3 },
      ]),
    ).toEqual({ added: 3, removed: 8, before: 20, after: 15 });
  });
});

describe("formatCountChange", () => {
  it("signs the difference with a real minus", () => {
    expect(formatCountChange(10, 12)).toBe("+2");
    expect(formatCountChange(1500, 3)).toBe("−1,497");
    expect(formatCountChange(7, 7)).toBe("0");
  });
});

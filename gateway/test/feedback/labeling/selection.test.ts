import { describe, expect, it } from "vitest";
import { uncertainties, uncertaintyOf } from "../../../src/feedback/labeling/selection/uncertainty";
import { greedyKCenter } from "../../../src/feedback/labeling/selection/k-center";
import { kMeans } from "../../../src/feedback/labeling/selection/k-means";
import { selectBatch, type BatchSelection } from "../../../src/feedback/labeling/selection/select-batch";

describe("uncertainty measures", () => {
  const p = [0.5, 0.3, 0.2];

  it("gives the textbook values on [0.5, 0.3, 0.2]", () => {
    expect(uncertaintyOf("LEAST_CONFIDENCE", p, 3)).toBeCloseTo(0.5, 12);
    expect(uncertaintyOf("MARGIN", p, 3)).toBeCloseTo(0.8, 12);
    const entropy = -(0.5 * Math.log(0.5) + 0.3 * Math.log(0.3) + 0.2 * Math.log(0.2));
    expect(uncertaintyOf("ENTROPY", p, 3)).toBeCloseTo(entropy / Math.log(3), 12);
    expect(uncertaintyOf("ENTROPY", p, 3)).toBeCloseTo(0.937231, 6);
    expect(uncertaintyOf("RANDOM", p, 3)).toBe(uncertaintyOf("ENTROPY", p, 3));
  });

  it("is 1 on a uniform vector and 0 on a one-hot one, for every measure", () => {
    for (const strategy of ["LEAST_CONFIDENCE", "MARGIN", "ENTROPY"] as const) {
      expect(uncertaintyOf(strategy, [0.25, 0.25, 0.25, 0.25], 4)).toBeCloseTo(
        strategy === "LEAST_CONFIDENCE" ? 0.75 : 1,
        12,
      );
      expect(uncertaintyOf(strategy, [0, 1, 0], 3)).toBe(0);
    }
  });

  it("renormalises vectors that do not sum to 1 and reads rows of a matrix", () => {
    expect(uncertaintyOf("MARGIN", [1.8, 0.2], 2)).toBeCloseTo(1 - (0.9 - 0.1), 12);
    expect(Array.from(uncertainties("LEAST_CONFIDENCE", [0.9, 0.1, 0.6, 0.4, 0.5, 0.5], 2))).toEqual([
      expect.closeTo(0.1, 12),
      expect.closeTo(0.4, 12),
      expect.closeTo(0.5, 12),
    ]);
    expect(uncertaintyOf("ENTROPY", [1], 1)).toBe(0);
  });
});

describe("greedy k-center", () => {
  const line = { values: [0, 0.1, 0.2, 5, 10], dimension: 1 };
  const priority = [0.8, 0.9, 0.7, 0.6, 0.5];

  it("starts at the top-priority candidate and then takes the farthest", () => {
    expect(greedyKCenter(line, [0, 1, 2, 3, 4], 3, { priority })).toEqual([1, 4, 3]);
  });

  it("starts from the covered centres when given", () => {
    const centres = { values: [10], dimension: 1 };
    expect(greedyKCenter(line, [0, 1, 2, 3, 4], 2, { priority, centres })).toEqual([0, 3]);
  });

  it("breaks distance ties by priority", () => {
    const square = { values: [0, 0, 1, 0, 0, 1, 1, 1], dimension: 2 };
    // From the origin, (1, 1) is farthest; then (1, 0) and (0, 1) tie: the higher priority wins.
    expect(greedyKCenter(square, [0, 1, 2, 3], 3, { priority: [1, 0.2, 0.3, 0] })).toEqual([0, 3, 2]);
  });
});

describe("seeded k-means", () => {
  it("splits two separated groups and puts each centre at its group's mean", () => {
    const points = { values: [0, 0, 0, 2, 10, 10, 10, 12], dimension: 2 };
    const { assignments, centres } = kMeans(points, [0, 1, 2, 3], 2, 7);
    expect(assignments[0]).toBe(assignments[1]);
    expect(assignments[2]).toBe(assignments[3]);
    expect(assignments[0]).not.toBe(assignments[2]);
    const a = assignments[0]!;
    expect(Array.from(centres.subarray(a * 2, a * 2 + 2))).toEqual([0, 1]);
    expect(Array.from(centres.subarray((1 - a) * 2, (1 - a) * 2 + 2))).toEqual([10, 11]);
  });

  it("gives the same clustering for the same seed", () => {
    const values = Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7) * 3);
    const points = { values, dimension: 2 };
    const members = Array.from({ length: 30 }, (_, i) => i);
    expect(kMeans(points, members, 4, 99)).toEqual(kMeans(points, members, 4, 99));
  });
});

describe("selectBatch", () => {
  // Two groups on a line: A (0, 0.1, 0.2) where the model is unsure, B (10, 10.1) less so.
  const probabilities = [0.5, 0.5, 0.55, 0.45, 0.6, 0.4, 0.8, 0.2, 0.85, 0.15];
  const embeddings = { values: [0, 0.1, 0.2, 10, 10.1], dimension: 1 };
  const base: BatchSelection = {
    probabilities,
    classes: 2,
    strategy: "MARGIN",
    diversity: "NONE",
    size: 2,
    randomShare: 0,
    seed: 1,
    embeddings,
  };
  const picked = (selection: Partial<BatchSelection>) =>
    selectBatch({ ...base, ...selection }).map((pick) => [pick.index, pick.random]);

  it("NONE takes the most uncertain items, with their uncertainty", () => {
    expect(selectBatch(base)).toEqual([
      { index: 0, uncertainty: 1, random: false },
      { index: 1, uncertainty: expect.closeTo(0.9, 12), random: false },
    ]);
  });

  it("KCENTER and CLUSTER spread the picks over both groups", () => {
    expect(picked({ diversity: "KCENTER" })).toEqual([
      [0, false],
      [4, false],
    ]);
    expect(picked({ diversity: "CLUSTER" })).toEqual([
      [0, false],
      [3, false],
    ]);
  });

  it("KCENTER starts from the labelled set", () => {
    const labelled = { values: [0.05], dimension: 1 };
    expect(picked({ diversity: "KCENTER", labelled, size: 1 })).toEqual([[4, false]]);
  });

  it("mixes in ⌈randomShare · size⌉ marked random items, reproducibly", () => {
    const many = {
      probabilities: Array.from({ length: 60 }, (_, i) =>
        i % 2 === 0 ? 0.5 + i / 200 : 0.5 - (i - 1) / 200,
      ),
      embeddings: { values: Array.from({ length: 30 }, (_, i) => i), dimension: 1 },
    };
    const batch = selectBatch({ ...base, ...many, size: 30, randomShare: 0.1 });
    expect(batch.filter((pick) => pick.random)).toHaveLength(3);
    expect(new Set(batch.map((pick) => pick.index)).size).toBe(30);
    const small = selectBatch({ ...base, ...many, size: 10, randomShare: 0.25, seed: 5 });
    expect(small.filter((pick) => pick.random)).toHaveLength(3);
    expect(selectBatch({ ...base, ...many, size: 10, randomShare: 0.25, seed: 5 })).toEqual(small);
    expect(small.slice(0, 7).map((pick) => pick.index)).toEqual(
      Array.from({ length: 30 }, (_, i) => i)
        .filter((i) => !small.slice(7).some((pick) => pick.index === i))
        .slice(0, 7),
    );
  });

  it("RANDOM draws every item about equally often over seeds", () => {
    const counts = new Array<number>(5).fill(0);
    for (let seed = 0; seed < 2000; seed++) {
      const [pick] = selectBatch({ ...base, strategy: "RANDOM", size: 1, seed });
      counts[pick!.index]! += 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(330);
  });

  it("refuses sizes beyond the pool and diversity without embeddings", () => {
    expect(() => selectBatch({ ...base, size: 6 })).toThrow(RangeError);
    expect(() => selectBatch({ ...base, randomShare: 1.5 })).toThrow(RangeError);
    expect(() => selectBatch({ ...base, diversity: "KCENTER", embeddings: undefined })).toThrow(
      /one embedding per pool item/,
    );
  });
});

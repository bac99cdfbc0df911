import { describe, expect, it } from "vitest";
import {
  isProbabilityDistribution,
  softmax,
  toProbabilities,
  topK,
} from "../../src/tasks/classification-scores";

describe("classification scores", () => {
  it("computes softmax without overflow for large logits", () => {
    const probabilities = softmax([1000, 1001, 1002]);
    const expected = [1, Math.E, Math.E ** 2].map(
      (value, _, all) => value / all.reduce((sum, x) => sum + x, 0),
    );
    probabilities.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 12));
  });

  it("keeps scores that already form a distribution and applies softmax to anything else", () => {
    expect(isProbabilityDistribution([0.2, 0.3, 0.5])).toBe(true);
    expect([...toProbabilities([0.2, 0.3, 0.5])]).toEqual([0.2, 0.3, 0.5]);
    // Within [0, 1] but summing to 0.9, negative, or above 1: logits.
    for (const logits of [
      [0.2, 0.3, 0.4],
      [-0.5, 1.5],
      [2, 0],
    ]) {
      expect(isProbabilityDistribution(logits)).toBe(false);
      expect([...toProbabilities(logits)]).toEqual([...softmax(logits)]);
    }
  });

  it("ranks the k best classes, ties by lower index", () => {
    expect(topK([0.1, 0.4, 0.1, 0.4], 3)).toEqual([
      { index: 1, score: 0.4 },
      { index: 3, score: 0.4 },
      { index: 0, score: 0.1 },
    ]);
    expect(topK([0.5, 0.5], 10)).toHaveLength(2);
  });
});

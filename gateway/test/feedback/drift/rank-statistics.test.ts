import { describe, expect, it } from "vitest";
import {
  averageRanks,
  combinedMannWhitney,
  mannWhitneyStatistic,
  mannWhitneyTest,
  standardNormalUpperTail,
} from "../../../src/feedback/drift/rank-statistics";

describe("rank statistics", () => {
  it("gives ties their mean rank and counts them for the variance", () => {
    const { ranks, tieTerm } = averageRanks(Float64Array.from([2, 1, 2, 3]));
    expect([...ranks]).toEqual([2.5, 1, 2.5, 4]);
    expect(tieTerm).toBe(6);
  });

  it("computes AUC 0.75 and its one-sided p-value on the textbook four scores", () => {
    // Negatives 0.1 and 0.4, positives 0.35 and 0.8: 3 of 4 pairs ordered correctly.
    const result = mannWhitneyTest(Float64Array.from([0.1, 0.4, 0.35, 0.8]), Uint8Array.from([0, 0, 1, 1]));
    expect(result.u).toBe(3);
    expect(result.auc).toBe(0.75);
    // σ² = 2·2/12 · 5, z = (3 − 2 − ½)/σ.
    expect(result.z).toBeCloseTo(0.5 / Math.sqrt(5 / 3), 12);
    expect(result.pValue).toBeCloseTo(0.34926767915166934, 6);
  });

  it("scores all-tied groups as chance", () => {
    const result = mannWhitneyTest(Float64Array.from([1, 1, 2, 2]), Uint8Array.from([0, 1, 0, 1]));
    expect(result.auc).toBe(0.5);
    expect(result.pValue).toBeGreaterThan(0.5);
    expect(mannWhitneyTest(Float64Array.from([5, 5]), Uint8Array.from([0, 1])).pValue).toBe(1);
  });

  it("combines groups ranked apart: per-group AUCs averaged, U excesses summed", () => {
    // Two folds whose models score on different scales; each orders its pair correctly. Pooled
    // into one ranking, fold B's negative (10) would outrank fold A's positive (0.2): AUC 0.75.
    const foldA = mannWhitneyStatistic(Float64Array.from([0.1, 0.2]), Uint8Array.from([0, 1]));
    const foldB = mannWhitneyStatistic(Float64Array.from([10, 20]), Uint8Array.from([0, 1]));
    expect(foldA).toEqual({ u: 1, pairs: 1, variance: 0.25 });
    const combined = combinedMannWhitney([foldA, foldB]);
    expect(combined.auc).toBe(1);
    // z = (Σ(U − pairs/2) − ½) / √(Σσ²) = (1 − ½) / √0.5.
    expect(combined.z).toBeCloseTo(Math.SQRT1_2, 12);
    expect(combined.pValue).toBeCloseTo(0.2397500610934768, 6);
    expect(mannWhitneyTest(Float64Array.from([0.1, 0.2, 10, 20]), Uint8Array.from([0, 1, 0, 1])).auc).toBe(
      0.75,
    );
  });

  it("has the normal tail to seven digits", () => {
    expect(standardNormalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(standardNormalUpperTail(1.96)).toBeCloseTo(0.024997895148220435, 7);
    expect(standardNormalUpperTail(-1.96)).toBeCloseTo(0.9750021048517795, 7);
  });
});

import { describe, expect, it } from "vitest";
import {
  medianHeuristicBandwidth,
  mmdTest,
  pairwiseSquaredDistances,
  unbiasedMmd2,
  rbfKernel,
} from "../../../src/feedback/drift/rbf-mmd";
import { stackRows } from "../../../src/feedback/drift/sample-matrix";
import { gaussianSample, matrix } from "./gaussian-samples";

describe("MMD² with an RBF kernel", () => {
  // Pooled 1-d points 0, 1, 2, 3: distances 1,1,1,2,2,3 → median heuristic σ = 1.5.
  const first = matrix([[0], [1]]);
  const second = matrix([[2], [3]]);

  it("takes the median pairwise distance as the bandwidth", () => {
    const pooled = stackRows(first, second);
    expect(medianHeuristicBandwidth(pairwiseSquaredDistances(pooled), 4)).toBe(1.5);
  });

  it("matches the unbiased estimate worked by hand on a 2 + 2 sample", () => {
    const k = (d: number) => Math.exp(-(d * d) / (2 * 1.5 * 1.5));
    // Within each group one pair at distance 1; across: distances 2, 3, 1, 2.
    const expected = k(1) + k(1) - (2 * (k(2) + k(3) + k(1) + k(2))) / 4;
    const result = mmdTest(first, second, { permutations: 999, seed: 1 });
    expect(result.statistic).toBeCloseTo(expected, 12);
    expect(result.statistic).toBeCloseTo(0.7223261722497183, 12);
    expect(result.bandwidth).toBe(1.5);
    // 2 of the 6 splits of four points into two pairs are as extreme ({0,1} | {2,3} either way):
    // 314 of the 999 seeded relabellings were, so p = (1 + 314) / 1000.
    expect(result.pValue).toBe(0.315);
  });

  it("is zero-mean under relabelling: a kernel of ones gives exactly 0", () => {
    const ones = new Float64Array(16).fill(1);
    expect(unbiasedMmd2(ones, 4, Uint8Array.from([1, 1, 0, 0]))).toBe(0);
    expect(rbfKernel(new Float64Array([0, 4]), 1)).toEqual(new Float64Array([1, Math.exp(-2)]));
  });

  it("finds no difference between identical samples", () => {
    const sample = gaussianSample(40, 3, 0, 7);
    const result = mmdTest(sample, sample, { permutations: 199, seed: 3 });
    expect(result.statistic).toBeCloseTo(-0.02046929881530013, 12);
    // Every relabelling is at least as extreme as the samples as given.
    expect(result.pValue).toBe(1);
  });

  it("gives a large p-value to two draws of one distribution and the smallest to shifted Gaussians", () => {
    const reference = gaussianSample(60, 4, 0, 11);
    const same = mmdTest(gaussianSample(60, 4, 0, 12), reference, { permutations: 199, seed: 5 });
    expect(same.pValue).toBe(95 / 200);
    expect(same.statistic).toBeCloseTo(-0.0012092097908782407, 12);
    const shifted = mmdTest(gaussianSample(60, 4, 1, 13), reference, { permutations: 199, seed: 5 });
    expect(shifted.pValue).toBe(1 / 200);
    expect(shifted.statistic).toBeCloseTo(0.29327283452874475, 12);
  });

  it("is reproducible from its seed", () => {
    const a = gaussianSample(30, 2, 0.3, 1);
    const b = gaussianSample(30, 2, 0, 2);
    expect(mmdTest(a, b, { permutations: 99, seed: 42 })).toEqual(
      mmdTest(a, b, { permutations: 99, seed: 42 }),
    );
  });
});

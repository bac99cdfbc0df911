import { describe, expect, it } from "vitest";
import { domainClassifierTest, stratifiedFolds } from "../../../src/feedback/drift/domain-classifier";
import { gaussianSample } from "./gaussian-samples";

describe("domain classifier", () => {
  it("deals each group evenly over the folds, the same way for the same seed", () => {
    const labels = Uint8Array.from([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const folds = stratifiedFolds(labels, 3, 4);
    for (let fold = 0; fold < 3; fold++) {
      const rows = [...folds.keys()].filter((row) => folds[row] === fold);
      expect(rows.filter((row) => labels[row] === 1)).toHaveLength(2);
      expect(rows.filter((row) => labels[row] === 0)).toHaveLength(3);
    }
    expect(stratifiedFolds(labels, 3, 4)).toEqual(folds);
    expect(stratifiedFolds(labels, 3, 5)).not.toEqual(folds);
  });

  it("tells shifted Gaussians apart on rows it never saw", () => {
    const result = domainClassifierTest(gaussianSample(80, 5, 0.8, 1), gaussianSample(80, 5, 0, 2), {
      folds: 5,
      seed: 3,
    });
    // The mean of the five folds' AUCs, each fold ranked under its own model.
    expect(result.auc).toBe(0.93203125);
    expect(result.z).toBeCloseTo(9.312385600273531, 9);
    expect(result.pValue).toBeLessThan(1e-20);
  });

  it("is at chance on two draws of one distribution", () => {
    const result = domainClassifierTest(gaussianSample(80, 5, 0, 4), gaussianSample(80, 5, 0, 5), {
      folds: 5,
      seed: 3,
    });
    expect(result.auc).toBe(0.55078125);
    expect(result.z).toBeCloseTo(1.0871472782219778, 9);
    expect(result.pValue).toBeCloseTo(0.1384858720499865, 9);
  });
});

import { describe, expect, it } from "vitest";
import { fitLogisticRegression, logisticLoss } from "../../../src/feedback/drift/logistic-regression";
import { gaussianSample, matrix } from "./gaussian-samples";

describe("logistic regression", () => {
  it("has the gradient of its loss (central finite differences)", () => {
    const samples = gaussianSample(7, 3, 0.2, 9);
    const labels = Uint8Array.from([1, 0, 1, 1, 0, 0, 1]);
    const theta = Float64Array.from([0.3, -0.7, 1.1, 0.25]);
    const l2 = 0.4;
    const { gradient } = logisticLoss(theta, samples, labels, l2);
    const h = 1e-6;
    for (let index = 0; index < theta.length; index++) {
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[index]! += h;
      down[index]! -= h;
      const numeric =
        (logisticLoss(up, samples, labels, l2).loss - logisticLoss(down, samples, labels, l2).loss) / (2 * h);
      expect(Math.abs(numeric - gradient[index]!)).toBeLessThan(1e-8);
    }
  });

  it("starts from log 2 and stays finite for huge logits", () => {
    const samples = matrix([[1000], [-1000]]);
    expect(logisticLoss(new Float64Array(2), samples, Uint8Array.from([1, 0]), 0).loss).toBeCloseTo(
      Math.LN2,
      12,
    );
    const confident = logisticLoss(Float64Array.from([1, 0]), samples, Uint8Array.from([0, 1]), 0);
    expect(confident.loss).toBeCloseTo(1000, 9);
  });

  it("fits the golden two-point problem: w = σ(−w), bias 0", () => {
    // x = −1 → 0, x = 1 → 1 with λ = 1: the stationary point solves w = 1 / (1 + e^w).
    const theta = fitLogisticRegression(matrix([[-1], [1]]), Uint8Array.from([0, 1]), {
      l2: 1,
      maxIterations: 500,
      tolerance: 1e-10,
    });
    expect(theta[0]).toBeCloseTo(0.40105813754154696, 8);
    expect(theta[1]).toBeCloseTo(0, 8);
  });
});

import { seededGaussian, seededRandom } from "@tessera/seeded-random";
import { describe, expect, it } from "vitest";
import { minimise } from "../../../../src/feedback/adjustments/lbfgs";
import { fitVectorScaling } from "../../../../src/feedback/adjustments/fit-adjustment";
import {
  applyVectorScaling,
  identityParameters,
  logProbabilities,
  vectorScalingLoss,
  type LabelledScores,
} from "../../../../src/feedback/adjustments/vector-scaling";

/** Four predictions of a 2-class model, with the right class of each. */
const TINY: LabelledScores = {
  classCount: 2,
  probabilities: Float64Array.from([0.9, 0.1, 0.6, 0.4, 0.3, 0.7, 0.55, 0.45]),
  targets: Int32Array.from([0, 1, 1, 1]),
};

function lossOf(data: LabelledScores, parameters: Float64Array, lambda: number, gradient?: Float64Array) {
  return vectorScalingLoss(
    parameters,
    logProbabilities(data.probabilities),
    data.targets,
    data.classCount,
    lambda,
    gradient ?? new Float64Array(parameters.length),
  );
}

/** Random probability rows (softmax of Gaussian logits) with random targets. */
function randomScores(rows: number, classCount: number, seed: number): LabelledScores {
  const gaussian = seededGaussian(seed);
  const uniform = seededRandom(seed + 1);
  const probabilities = new Float64Array(rows * classCount);
  for (let row = 0; row < rows; row++) {
    const logits = Array.from({ length: classCount }, () => 2 * gaussian());
    const sum = logits.reduce((total, logit) => total + Math.exp(logit), 0);
    logits.forEach((logit, k) => (probabilities[row * classCount + k] = Math.exp(logit) / sum));
  }
  const targets = Int32Array.from({ length: rows }, () => Math.floor(uniform() * classCount));
  return { classCount, probabilities, targets };
}

describe("vector scaling", () => {
  it("is the identity at scales 1 and biases 0: the loss is the raw cross-entropy", () => {
    const expected = -(Math.log(0.9) + Math.log(0.4) + Math.log(0.7) + Math.log(0.45)) / 4;
    expect(lossOf(TINY, identityParameters(2), 1)).toBeCloseTo(expected, 12);
    expect(Array.from(applyVectorScaling(identityParameters(3), [0.2, 0.5, 0.3]))).toEqual([
      expect.closeTo(0.2, 12),
      expect.closeTo(0.5, 12),
      expect.closeTo(0.3, 12),
    ]);
  });

  it("has the gradient its finite differences give", () => {
    const data = randomScores(7, 4, 5);
    const gaussian = seededGaussian(9);
    const parameters = Float64Array.from({ length: 8 }, (_, i) => (i < 4 ? 1 : 0) + 0.5 * gaussian());
    const gradient = new Float64Array(8);
    lossOf(data, parameters, 1.5, gradient);
    const step = 1e-6;
    for (let i = 0; i < parameters.length; i++) {
      const plus = Float64Array.from(parameters);
      const minus = Float64Array.from(parameters);
      plus[i] = plus[i]! + step;
      minus[i] = minus[i]! - step;
      const numeric = (lossOf(data, plus, 1.5) - lossOf(data, minus, 1.5)) / (2 * step);
      expect(gradient[i]).toBeCloseTo(numeric, 7);
    }
  });

  it("fits the tiny input to golden parameters where the gradient vanishes", () => {
    const fitted = fitVectorScaling(TINY, 1);
    expect(Array.from(fitted).map((value) => Number(value.toFixed(4)))).toEqual([
      1.4167, 0.9848, -0.4587, 0.4587,
    ]);
    const gradient = new Float64Array(4);
    expect(lossOf(TINY, fitted, 1, gradient)).toBeCloseTo(0.342072, 6);
    for (const component of gradient) expect(Math.abs(component)).toBeLessThan(1e-6);
    // Three of the four rows are class 1: the fit moves the second row (0.6 / 0.4) over to it.
    expect(applyVectorScaling(fitted, [0.6, 0.4])[1]).toBeGreaterThan(0.5);
  });
});

describe("L-BFGS", () => {
  it("finds the minimum of an ill-conditioned quadratic", () => {
    const centre = [3, -2, 0.5];
    const weights = [1, 100, 0.01];
    const result = minimise(
      (x, gradient) => {
        let value = 0;
        for (let i = 0; i < 3; i++) {
          const offset = x[i]! - centre[i]!;
          value += 0.5 * weights[i]! * offset * offset;
          gradient[i] = weights[i]! * offset;
        }
        return value;
      },
      new Float64Array(3),
      { maxIterations: 200, gradientTolerance: 1e-10, memory: 8 },
    );
    expect(result.converged).toBe(true);
    result.x.forEach((value, i) => expect(value).toBeCloseTo(centre[i]!, 6));
  });
});

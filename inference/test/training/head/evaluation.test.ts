import { describe, expect, it } from "vitest";
import { evaluateSplit } from "../../../src/training/head/evaluation";

const rows = (values: number[][]) => values.map((row) => Float32Array.from(row));

describe("evaluating a split", () => {
  // true label, probabilities                  → predicted, confidence bin (lo, hi]
  const labels = Uint32Array.from([0, 0, 1, 1, 2, 0]);
  const probabilities = rows([
    [0.7, 0.2, 0.1], //                          → 0 ✓, (0.6, 0.7]
    [0.28, 0.62, 0.1], //                        → 1 ✗, (0.6, 0.7]
    [0.1, 0.85, 0.05], //                        → 1 ✓, (0.8, 0.9]
    [0.2, 0.75, 0.05], //                        → 1 ✓, (0.7, 0.8]
    [0.5, 0.1, 0.4], //                          → 0 ✗, (0.4, 0.5]
    [0.95, 0.03, 0.02], //                       → 0 ✓, (0.9, 1.0]
  ]);
  const evaluation = evaluateSplit("VALIDATION", probabilities, labels, ["cat", "dog", "fox"]);

  it("counts accuracy and the confusion matrix (row = true class)", () => {
    expect(evaluation.split).toBe("VALIDATION");
    expect(evaluation.count).toBe(6);
    expect(evaluation.accuracy).toBe(4 / 6);
    expect(evaluation.confusionMatrix).toEqual([2, 1, 0, 0, 2, 0, 1, 0, 0]);
  });

  it("gives per-class precision, recall, F1 and support, 0 where a class is never predicted", () => {
    expect(evaluation.perClass).toEqual([
      { label: "cat", precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
      { label: "dog", precision: 2 / 3, recall: 1, f1: expect.closeTo(0.8, 15), support: 2 },
      { label: "fox", precision: 0, recall: 0, f1: 0, support: 1 },
    ]);
  });

  it("averages the cross-entropy of the true class", () => {
    const trueProbabilities = [0.7, 0.28, 0.85, 0.75, 0.4, 0.95].map(Math.fround);
    const expected = trueProbabilities.reduce((sum, p) => sum - Math.log(p), 0) / 6;
    expect(evaluation.loss).toBeCloseTo(expected, 12);
  });

  it("measures expected calibration error over 10 equal-width bins", () => {
    // (0.6, 0.7]: 2 samples, accuracy 0.5, confidence 0.66; then one sample each in the others.
    const expected = (2 * Math.abs(0.5 - 0.66) + (1 - 0.85) + (1 - 0.75) + 0.5 + (1 - 0.95)) / 6;
    expect(evaluation.calibrationError).toBeCloseTo(expected, 6);
  });

  it("scores a perfectly calibrated certain split 0 and an empty split 0 without NaN", () => {
    const certain = evaluateSplit(
      "TEST",
      rows([
        [1, 0],
        [0, 1],
      ]),
      Uint32Array.from([0, 1]),
      ["a", "b"],
    );
    expect(certain.calibrationError).toBe(0);
    expect(certain.loss).toBeCloseTo(0, 12);
    const empty = evaluateSplit("TEST", [], new Uint32Array(), ["a", "b"]);
    expect(empty).toEqual({
      split: "TEST",
      count: 0,
      accuracy: 0,
      loss: 0,
      perClass: [
        { label: "a", precision: 0, recall: 0, f1: 0, support: 0 },
        { label: "b", precision: 0, recall: 0, f1: 0, support: 0 },
      ],
      confusionMatrix: [0, 0, 0, 0],
      calibrationError: 0,
    });
  });

  it("charges a probability that underflowed to 0 a finite loss", () => {
    const wrong = evaluateSplit("TEST", rows([[1, 0]]), Uint32Array.from([1]), ["a", "b"]);
    expect(wrong.loss).toBeCloseTo(103.28, 2);
  });
});

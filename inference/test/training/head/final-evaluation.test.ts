import { describe, expect, it } from "vitest";
import { evaluateFinalSplit, evaluateSplit } from "../../../src/training/head/evaluation";

const rows = (values: number[][]) => values.map((row) => Float32Array.from(row));

describe("a final evaluation's per-sample results", () => {
  const labels = Uint32Array.from([0, 1, 1]);
  const probabilities = rows([
    [0.7, 0.3], // → 0 ✓, bin (0.6, 0.7]
    [0.9, 0.1], // → 0 ✗, bin (0.8, 0.9]
    [0.35, 0.65], // → 1 ✓, bin (0.6, 0.7]
  ]);
  const final = evaluateFinalSplit("TEST", probabilities, labels, ["a", "b"]);

  it("keeps each sample's predicted label and its probability, in the split's order", () => {
    expect([...final.predicted]).toEqual([0, 0, 1]);
    expect([...final.confidence]).toEqual([0.7, 0.9, 0.65].map(Math.fround));
  });

  it("gives the 10 reliability bins the calibration error is measured over", () => {
    expect(final.reliability).toHaveLength(10);
    expect(final.reliability[6]).toEqual({
      lower: 0.6,
      upper: 0.7,
      count: 2,
      meanConfidence: (Math.fround(0.7) + Math.fround(0.65)) / 2,
      accuracy: 1,
    });
    expect(final.reliability[8]).toMatchObject({ count: 1, accuracy: 0, meanConfidence: Math.fround(0.9) });
    expect(final.reliability[0]).toEqual({ lower: 0, upper: 0.1, count: 0, meanConfidence: 0, accuracy: 0 });
  });

  it("summarises the split exactly as the per-epoch evaluation does", () => {
    const { predicted: _p, confidence: _c, reliability: _r, ...summary } = final;
    expect(summary).toEqual(evaluateSplit("TEST", probabilities, labels, ["a", "b"]));
  });
});

import { describe, expect, it } from "vitest";
import {
  alignedProbabilities,
  blend,
  type BlendMode,
  type MemberAnswer,
} from "../../../src/serving/ensembles/blend";

const MODES: BlendMode[] = ["AVERAGE", "CONFIDENCE_WEIGHTED", "MAX", "VOTE"];

const LABELS = ["a", "b", "c"];
/** Member 1 (weight 1) knows every label; member 2 (weight 3) has no "a" and a label the ensemble lacks. */
const ANSWERS: MemberAnswer[] = [
  {
    weight: 1,
    scores: [
      { label: "a", score: 0.7 },
      { label: "b", score: 0.2 },
      { label: "c", score: 0.1 },
    ],
  },
  {
    weight: 3,
    scores: [
      { label: "b", score: 0.5 },
      { label: "c", score: 0.4 },
      { label: "z", score: 0.1 },
    ],
  },
];

function blended(mode: BlendMode, answers = ANSWERS) {
  const { scores, ranking } = blend(mode, LABELS, answers);
  return { scores: Array.from(scores), order: ranking.map((c) => LABELS[c]) };
}

function expectScores(actual: number[], expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((score, c) => expect(score).toBeCloseTo(expected[c]!, 12));
}

describe("ensemble blends (golden values worked by hand)", () => {
  it("aligns member answers by label name; a missing label is 0 and an unknown one is ignored", () => {
    const [first, second] = alignedProbabilities(LABELS, ANSWERS);
    expect(Array.from(first!)).toEqual([0.7, 0.2, 0.1]);
    expect(Array.from(second!)).toEqual([0, 0.5, 0.4]);
  });

  it("AVERAGE: Σ wᵢ pᵢ(c) / Σ wᵢ", () => {
    // a = 0.7/4, b = (0.2 + 1.5)/4, c = (0.1 + 1.2)/4
    const { scores, order } = blended("AVERAGE");
    expectScores(scores, [0.175, 0.425, 0.325]);
    expect(order).toEqual(["b", "c", "a"]);
  });

  it("CONFIDENCE_WEIGHTED: weights wᵢ × maxₖ pᵢ(k)", () => {
    // w' = [1 × 0.7, 3 × 0.5] = [0.7, 1.5], Σ = 2.2
    const { scores, order } = blended("CONFIDENCE_WEIGHTED");
    expectScores(scores, [0.49 / 2.2, (0.14 + 0.75) / 2.2, (0.07 + 0.6) / 2.2]);
    expect(order).toEqual(["b", "c", "a"]);
  });

  it("MAX: maxᵢ pᵢ(c), weights unused", () => {
    const { scores, order } = blended("MAX");
    expectScores(scores, [0.7, 0.5, 0.4]);
    expect(order).toEqual(["a", "b", "c"]);
  });

  it("VOTE: each member's weight to its top label, over Σ wᵢ", () => {
    const { scores, order } = blended("VOTE");
    expectScores(scores, [0.25, 0.75, 0]);
    expect(order).toEqual(["b", "a", "c"]);
  });

  it("VOTE: a tie is broken by the AVERAGE", () => {
    const even = ANSWERS.map((a) => ({ ...a, weight: 1 }));
    const { scores, order } = blended("VOTE", even);
    expectScores(scores, [0.5, 0.5, 0]);
    // Their AVERAGE ties too (a = 0.7/2, b = (0.2 + 0.5)/2): label order.
    expect(order).toEqual(["a", "b", "c"]);
    const leaning = [ANSWERS[0]!, { ...ANSWERS[1]!, weight: 1, scores: [{ label: "b", score: 0.6 }] }];
    // a = 0.7/2 = 0.35, b = (0.2 + 0.6)/2 = 0.4: b first.
    expect(blended("VOTE", leaning).order).toEqual(["b", "a", "c"]);
  });

  it("counts only the members that answered, and equal weights when only zero weights answered", () => {
    expectScores(blended("AVERAGE", [ANSWERS[1]!]).scores, [0, 0.5, 0.4]);
    const zero = [
      { ...ANSWERS[0]!, weight: 0 },
      { ...ANSWERS[1]!, weight: 0 },
    ];
    expectScores(blended("AVERAGE", zero).scores, [0.35, 0.35, 0.25]);
    expectScores(blended("VOTE", zero).scores, [0.5, 0.5, 0]);
  });

  it("is deterministic on exact ties: label order", () => {
    const flat: MemberAnswer[] = [{ weight: 2, scores: LABELS.map((label) => ({ label, score: 1 / 3 })) }];
    for (const mode of MODES) {
      expect(blended(mode, flat).order).toEqual(["a", "b", "c"]);
    }
  });
});

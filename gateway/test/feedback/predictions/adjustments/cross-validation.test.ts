import { describe, expect, it } from "vitest";
import { applyVectorScaling, identityParameters } from "../../../../src/feedback/adjustments/vector-scaling";
import {
  argmax,
  defaultAdjustmentOptions,
  fitAdjustment,
  foldAssignment,
} from "../../../../src/feedback/adjustments/fit-adjustment";
import { CONFUSION_SHIFT, simulateClassifier } from "./simulated-classifier";

describe("fitAdjustment: applied only when cross-validation shows it helps", () => {
  it("switches on for a model that takes 3 for 5, with the held-out accuracies it measured", () => {
    const fitted = fitAdjustment(simulateClassifier(1_000, CONFUSION_SHIFT, 1));
    expect(fitted).toMatchObject({
      method: "vector-scaling",
      feedbackCount: 1_000,
      accuracyBefore: 0.944,
      accuracyAfter: 0.96,
      active: true,
    });
    // A 3 the model gave to 5 by a small margin goes back to 3 once adjusted.
    const scores = [0.02, 0.02, 0.02, 0.4, 0.02, 0.44, 0.02, 0.02, 0.02, 0.02];
    expect(argmax(scores)).toBe(5);
    expect(argmax(applyVectorScaling(fitted.parameters, scores))).toBe(3);
  });

  it("stays off for a model without a systematic confusion, and is deterministic", () => {
    const data = simulateClassifier(1_000, 0, 1);
    const fitted = fitAdjustment(data);
    expect(fitted).toMatchObject({ accuracyBefore: 0.98, accuracyAfter: 0.98, active: false });
    expect(fitAdjustment(data)).toEqual(fitted);
  });

  it("stays off, unfitted, below the minimum count of labelled feedback", () => {
    const fitted = fitAdjustment(
      simulateClassifier(defaultAdjustmentOptions.minFeedback - 1, CONFUSION_SHIFT, 1),
    );
    expect(fitted.active).toBe(false);
    expect(fitted.feedbackCount).toBe(19);
    expect(fitted.accuracyAfter).toBe(fitted.accuracyBefore);
    expect(fitted.parameters).toEqual(identityParameters(10));
  });

  it("deals rows into folds that differ in size by one at most, the same for the same seed", () => {
    const folds = foldAssignment(12, 5, 13);
    const sizes = [0, 1, 2, 3, 4].map((fold) => folds.filter((f) => f === fold).length);
    expect(sizes).toEqual([3, 3, 2, 2, 2]);
    expect(Array.from(folds)).toEqual([4, 4, 3, 0, 1, 0, 1, 1, 2, 3, 2, 0]);
    expect(foldAssignment(12, 5, 13)).toEqual(folds);
  });
});

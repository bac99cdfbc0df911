import { describe, expect, it } from "vitest";
import { correctableLabels, namedLabels, verdictOf } from "../../../src/feedback/predictions/model-labels";

describe("what feedback naming a label says (recordFeedback and submitLabels alike)", () => {
  // A vector cut short at the tier's top-k: the version has a fourth class the log lacks.
  const prediction = { labels: ["red", "green", "blue"], scores: [0.2, 0.7, 0.1] };
  const labels = correctableLabels(prediction.labels, ["red", "green", "blue", "purple"]);

  it("takes the version's labels when the logged vector was cut short", () => {
    expect(labels).toEqual(["red", "green", "blue", "purple"]);
    expect(correctableLabels(prediction.labels, [])).toEqual(prediction.labels);
  });

  it("is the correction for a label of the model, right only for the top one", () => {
    expect(verdictOf(prediction, labels, "green")).toEqual({ correctLabel: "green", isCorrect: true });
    expect(verdictOf(prediction, labels, "red")).toEqual({ correctLabel: "red", isCorrect: false });
    expect(verdictOf(prediction, labels, "purple")).toEqual({ correctLabel: "purple", isCorrect: false });
  });

  it("is nothing for a label the model does not have", () => {
    expect(verdictOf(prediction, labels, "teal")).toBeNull();
  });

  it("names at most 50 labels", () => {
    const many = Array.from({ length: 52 }, (_, index) => `c${index}`);
    expect(namedLabels(["a", "b"])).toBe('"a", "b"');
    expect(namedLabels(many)).toMatch(/"c49" … and 2 more$/);
    expect(namedLabels(many)).not.toContain('"c50"');
  });
});

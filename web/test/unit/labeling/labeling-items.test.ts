import { describe, expect, it } from "vitest";
import { batchShortcuts, type LabelingItem } from "../../../src/labeling/labeling-items";

const labels = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];

/** An item whose top guess is `top`, the other labels far behind. */
const guessing = (id: string, top: string): LabelingItem =>
  ({
    id,
    prediction: {
      predictions: labels.map((label) => ({ label, score: label === top ? 0.9 : 0.01 })),
    },
  }) as unknown as LabelingItem;

describe("the number keys of a labelling batch", () => {
  it("give all of the model's labels in its order when it has nine or fewer", () => {
    expect(batchShortcuts(["cat", "dog", "fox"], [])).toEqual(["cat", "dog", "fox"]);
  });

  it("keep one mapping for the whole batch: the labels most often the top guess, then the model's order", () => {
    const items = [guessing("1", "l"), guessing("2", "k"), guessing("3", "l"), guessing("4", "c")];
    const keys = ["l", "c", "k", "a", "b", "d", "e", "f", "g"];
    expect(batchShortcuts(labels, items)).toEqual(keys);
    // The same keys whichever item is on screen: the mapping depends on the batch only.
    expect(batchShortcuts(labels, [...items].reverse())).toEqual(keys);
  });
});

import { describe, expect, it } from "vitest";
import { initialQueue, labelInputs, queueReducer, type QueueAction } from "../../../src/labeling/queue-state";

const run = (actions: QueueAction[]) => actions.reduce(queueReducer, initialQueue(["i1", "i2", "i3"]));

describe("the labelling queue's state", () => {
  it("moves on to the next item without a label, wrapping round, and undoes a relabel to the label before", () => {
    const state = run([
      { type: "go", index: 1 },
      { type: "label", label: "dog" },
      { type: "label", label: "fox" },
      { type: "label", label: "cat" },
    ]);
    // i2, then i3, then round to i1: every item labelled, the queue stays on the last one labelled.
    expect(labelInputs(state)).toEqual([
      { itemId: "i1", label: "cat" },
      { itemId: "i2", label: "dog" },
      { itemId: "i3", label: "fox" },
    ]);
    expect(state.index).toBe(0);

    const relabelled = [{ type: "go", index: 1 }, { type: "label", label: "cat" }, { type: "undo" }] as const;
    const undone = relabelled.reduce(queueReducer, state);
    expect(undone.labels.get("i2")).toBe("dog");
    expect(undone.index).toBe(1);
    // Nothing left to undo past the start; moves stop at the ends.
    expect(run([{ type: "undo" }, { type: "move", by: -1 }]).index).toBe(0);
    expect(run([{ type: "move", by: 5 }]).index).toBe(2);
  });
});

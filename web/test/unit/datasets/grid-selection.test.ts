import { describe, expect, it } from "vitest";
import { emptySelection, picked, selectAll } from "../../../src/datasets/grid-selection";

const ids = ["a", "b", "c", "d", "e"];
const pick = (index: number, keys: { range?: boolean; toggle?: boolean } = {}) => ({
  index,
  range: keys.range ?? false,
  toggle: keys.toggle ?? false,
});
const chosen = (selection: { selected: ReadonlySet<string> }) => [...selection.selected].sort();

describe("picked", () => {
  it("selects one on a click, a run on Shift, adds or takes away one on Ctrl", () => {
    const one = picked(emptySelection, ids, pick(1));
    expect(chosen(one)).toEqual(["b"]);
    const run = picked(one, ids, pick(3, { range: true }));
    expect(chosen(run)).toEqual(["b", "c", "d"]);
    // The anchor stays where the run started: Shift+click again re-draws the run from it.
    expect(chosen(picked(run, ids, pick(0, { range: true })))).toEqual(["a", "b"]);
    const without = picked(run, ids, pick(2, { toggle: true }));
    expect(chosen(without)).toEqual(["b", "d"]);
    // Ctrl+Shift adds a run from the new anchor to what is selected.
    expect(chosen(picked(without, ids, pick(4, { range: true, toggle: true })))).toEqual([
      "b",
      "c",
      "d",
      "e",
    ]);
  });

  it("starts a Shift+click run at the clicked item when nothing was picked before", () => {
    expect(chosen(picked(emptySelection, ids, pick(2, { range: true })))).toEqual(["c"]);
    expect(chosen(selectAll(ids))).toEqual(ids);
  });
});

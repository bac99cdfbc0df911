import { describe, expect, it } from "vitest";
import { columnsFor, movedIndex } from "../../../src/datasets/grid-navigation";

// 10 items in rows of 4:   0 1 2 3 / 4 5 6 7 / 8 9
const shape = { count: 10, columns: 4, rowsPerPage: 2 };

describe("movedIndex", () => {
  it("moves by one across and by a row down and up, stopping at the edges", () => {
    expect(movedIndex("ArrowRight", false, 3, shape)).toBe(4);
    expect(movedIndex("ArrowRight", false, 9, shape)).toBe(9);
    expect(movedIndex("ArrowLeft", false, 0, shape)).toBe(0);
    expect(movedIndex("ArrowDown", false, 1, shape)).toBe(5);
    expect(movedIndex("ArrowDown", false, 6, shape)).toBe(6);
    expect(movedIndex("ArrowUp", false, 9, shape)).toBe(5);
    expect(movedIndex("ArrowUp", false, 2, shape)).toBe(2);
  });

  it("goes to the row's ends with Home/End and to the grid's with Ctrl", () => {
    expect(movedIndex("Home", false, 6, shape)).toBe(4);
    expect(movedIndex("End", false, 5, shape)).toBe(7);
    expect(movedIndex("End", false, 8, shape)).toBe(9);
    expect(movedIndex("Home", true, 6, shape)).toBe(0);
    expect(movedIndex("End", true, 1, shape)).toBe(9);
  });

  it("pages by a screen of rows", () => {
    expect(movedIndex("PageDown", false, 1, shape)).toBe(9);
    expect(movedIndex("PageUp", false, 9, shape)).toBe(1);
    expect(movedIndex("PageUp", false, 5, shape)).toBe(0);
  });

  it("leaves other keys (Tab, letters) alone, and an empty grid has nowhere to go", () => {
    expect(movedIndex("Tab", false, 1, shape)).toBeNull();
    expect(movedIndex("a", false, 1, shape)).toBeNull();
    expect(movedIndex("ArrowRight", false, 0, { ...shape, count: 0 })).toBeNull();
  });
});

describe("columnsFor", () => {
  it("fits as many tiles as the width holds, and at least one", () => {
    expect(columnsFor(148 * 4 + 12 * 3, 148, 12)).toBe(4);
    expect(columnsFor(148 * 4 + 12 * 3 - 1, 148, 12)).toBe(3);
    expect(columnsFor(50, 148, 12)).toBe(1);
  });
});

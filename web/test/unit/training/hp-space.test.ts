import { describe, expect, it } from "vitest";
import { SearchStrategy } from "../../../src/gql/graphql";
import {
  defaultHpSpace,
  hpRangeInput,
  hpRowsFromSpace,
  hpSpaceErrors,
  newHpRow,
  parseValueList,
  renameHpRow,
} from "../../../src/training/hp-space";

const { Bayesian, Grid, Random } = SearchStrategy;

describe("the hpSpace editor", () => {
  it("turns its rows into HyperparameterRangeInput, sending only what each kind uses", () => {
    expect(defaultHpSpace().map((row) => hpRangeInput(row, Bayesian))).toEqual([
      { name: "learningRate", min: 0.0001, max: 0.01, logScale: true },
      { name: "dropout", min: 0, max: 0.5 },
      { name: "hiddenUnits", values: [64, 128, 256] },
    ]);
    const range = { ...newHpRow(1, "momentum"), steps: "5" };
    expect(hpRangeInput(range, Grid)).toEqual({ name: "momentum", min: 0.5, max: 0.95, steps: 5 });
    // Only GRID reads steps; other strategies leave it out.
    expect(hpRangeInput(range, Random)).toEqual({ name: "momentum", min: 0.5, max: 0.95 });
    expect(hpRangeInput({ ...newHpRow(2, "batchSize"), values: "16; 32 64," }, Random)).toEqual({
      name: "batchSize",
      values: [16, 32, 64],
    });
    expect(hpRangeInput(newHpRow(3, "optimizer"), Random)).toEqual({
      name: "optimizer",
      choices: ["ADAM", "SGD"],
    });
  });

  it("starts a renamed row from the new parameter's usual range", () => {
    const row = renameHpRow(newHpRow(4, "dropout"), "optimizer");
    expect(row).toMatchObject({ id: 4, name: "optimizer", kind: "choices", choices: ["ADAM", "SGD"] });
  });

  it("reads value lists, refusing anything that is not a number", () => {
    expect(parseValueList("1e-3, 0.01")).toEqual([0.001, 0.01]);
    expect(parseValueList("")).toEqual([]);
    expect(parseValueList("64, lots")).toBeNull();
  });

  it("finds what the server would refuse, row by row", () => {
    const rows = [
      { ...newHpRow(1, "learningRate"), min: "0", logScale: false },
      { ...newHpRow(2, "dropout"), min: "0.3", max: "0.3" },
      { ...newHpRow(3, "hiddenUnits"), values: "64, 100.5" },
      { ...newHpRow(4, "learningRate") },
      { ...newHpRow(5, "weightDecay"), min: "0" },
      { ...newHpRow(6, "optimizer"), choices: [] },
      newHpRow(7),
      { ...newHpRow(8, "momentum"), min: "0.9", max: "0.5" },
      { ...newHpRow(9, "batchSize"), kind: "range" as const, min: "8", max: "64", steps: "1" },
    ];
    expect(hpSpaceErrors(rows, Grid)).toEqual({
      "hpSpace[0]": "Min must be greater than 0",
      "hpSpace[1]": "Empty range: min and max are both 0.3; widen it, or list the one value",
      "hpSpace[2]": "Value 100.5 must be a whole number",
      "hpSpace[3].name": "learningRate is already searched in row 1; give each parameter one row",
      "hpSpace[4]": "A log scale needs min greater than 0",
      "hpSpace[5]": "Pick at least one optimizer",
      "hpSpace[6].name": "Choose the parameter to vary",
      "hpSpace[7]": "Empty range: min 0.9 is greater than max 0.5",
      "hpSpace[8]": "Steps must be a whole number from 2 to 100",
    });
    expect(hpSpaceErrors([], Bayesian)).toEqual({
      hpSpace: "Add at least one parameter to search, or turn the search off",
    });
    expect(hpSpaceErrors(defaultHpSpace(), Bayesian)).toEqual({});
  });

  it("reads a stored space back into rows that send the same space", () => {
    const stored = [
      {
        name: "learningRate",
        min: 0.0001,
        max: 0.01,
        logScale: true,
        integer: false,
        steps: 3,
        values: null,
        choices: null,
      },
      {
        name: "hiddenUnits",
        min: null,
        max: null,
        logScale: null,
        integer: null,
        steps: null,
        values: [64, 128],
        choices: null,
      },
      {
        name: "optimizer",
        min: null,
        max: null,
        logScale: null,
        integer: null,
        steps: null,
        values: null,
        choices: ["SGD"],
      },
    ];
    const rows = hpRowsFromSpace(stored);
    expect(hpSpaceErrors(rows, Grid)).toEqual({});
    expect(rows.map((row) => hpRangeInput(row, Grid))).toEqual([
      { name: "learningRate", min: 0.0001, max: 0.01, logScale: true, steps: 3 },
      { name: "hiddenUnits", values: [64, 128] },
      { name: "optimizer", choices: ["SGD"] },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import {
  ClassWeighting,
  LearningRateSchedule,
  MonitoredMetric,
  Optimizer,
  SearchStrategy,
} from "../../../src/gql/graphql";
import { defaultHpSpace, hpSpaceErrors, newHpRow } from "../../../src/training/hp-space";
import {
  describeBounds,
  numericOptionNames,
  searchableParameters,
  trainingOptionNames,
  trainingOptionSpec,
  trainingOptionSpecs,
  type OptionEnum,
} from "../../../src/training/option-spec";
import {
  optionHint,
  optionRules,
  ruleProblem,
  searchParameters,
} from "../../../src/training/parameter-rules";
import { defaultTrainingForm, trainingInput } from "../../../src/training/training-form";

/**
 * The start form takes its options, rules, defaults and hints from the gateway's options table
 * (gateway/test/training/options/option-table.test.ts holds the server's side to it).
 */

const identity = ["datasetVersionId", "baseModelVersionId", "targetModelSlug"];
const names = [...trainingOptionNames].sort();
const graphqlEnums: Record<OptionEnum, Record<string, string>> = {
  Optimizer,
  LearningRateSchedule,
  MonitoredMetric,
  ClassWeighting,
  SearchStrategy,
};

describe("the start form and the options table", () => {
  it("has a field for exactly the table's options", () => {
    const fields = Object.keys(defaultTrainingForm()).filter((field) => !identity.includes(field));
    expect(fields.sort()).toEqual(names);
  });

  it("checks exactly the table's numeric options, with the table's bounds", () => {
    expect(Object.keys(optionRules).sort()).toEqual([...numericOptionNames].sort());
    for (const name of numericOptionNames) {
      const spec = trainingOptionSpec(name);
      if (spec.type !== "float" && spec.type !== "int") throw new Error(`${name} is not a number`);
      expect(optionRules[name], name).toEqual({ integer: spec.type === "int", ...spec.bounds });
      expect(optionHint(name).toLowerCase(), name).toContain(describeBounds(spec.bounds));
    }
  });

  it("starts from the table's defaults, each of them legal", () => {
    const form = defaultTrainingForm();
    for (const name of trainingOptionNames) {
      const spec = trainingOptionSpec(name);
      switch (spec.type) {
        case "float":
        case "int":
          expect(Number(form[name as keyof typeof optionRules]), name).toBe(spec.default);
          expect(ruleProblem(spec.default, optionRules[name as keyof typeof optionRules]), name).toBeNull();
          break;
        case "boolean":
          expect(form[name as keyof typeof form], name).toBe(spec.default);
          break;
        case "enum":
          expect(form[name as keyof typeof form], name).toBe(spec.default);
          expect(Object.values(graphqlEnums[spec.enum]), name).toContain(spec.default);
          break;
      }
    }
    const input = trainingInput({
      ...form,
      datasetVersionId: "d",
      baseModelVersionId: "b",
      targetModelSlug: "t",
    });
    for (const name of numericOptionNames) {
      if (name in input) expect(input[name], name).toBe(trainingOptionSpecs[name].default);
    }
  });

  it("searches the table's searchable options, from presets the form accepts", () => {
    expect(searchParameters).toEqual(searchableParameters);
    const rows = searchParameters.map((name, index) => newHpRow(index + 1, name));
    expect(hpSpaceErrors(rows, SearchStrategy.Bayesian)).toEqual({});
    expect(defaultHpSpace().map((row) => row.name)).toEqual(
      searchParameters.filter((name) => trainingOptionSpec(name).search?.byDefault),
    );
  });
});

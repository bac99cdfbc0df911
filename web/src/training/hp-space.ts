import {
  Optimizer,
  SearchStrategy,
  type HyperparameterRangeInput,
  type TrainingOptionsFieldsFragment,
} from "../gql/graphql";
import { defaultSearchParameters, trainingOptionSpecs, type SearchPreset } from "./option-spec";
import {
  optionRules,
  parseNumber,
  ruleProblem,
  searchParameters,
  type SearchParameter,
} from "./parameter-rules";

/** How a row of the search space is given: a min/max range, a list of numbers, or optimizer choices. */
export type HpRowKind = "range" | "values" | "choices";

/** One row of the hpSpace editor, as typed (numbers stay text until they are sent). */
export interface HpSpaceRow {
  /** Stable across edits, for list keys and element ids. */
  id: number;
  name: SearchParameter | "";
  kind: HpRowKind;
  min: string;
  max: string;
  logScale: boolean;
  /** GRID's points in the range; blank for the server's default (3). */
  steps: string;
  /** Comma-separated numbers. */
  values: string;
  choices: Optimizer[];
}

type StoredRange = TrainingOptionsFieldsFragment["hpSpace"][number];

const MIN_GRID_STEPS = 2;
const MAX_GRID_STEPS = 100;

/** A row for a parameter, starting from the range worth searching that the options table gives it. */
export function newHpRow(id: number, name: SearchParameter | "" = ""): HpSpaceRow {
  const row: HpSpaceRow = {
    id,
    name,
    kind: "range",
    min: "",
    max: "",
    logScale: false,
    steps: "",
    values: "",
    choices: [],
  };
  if (name === "") return row;
  const preset: SearchPreset = trainingOptionSpecs[name].search;
  if ("choices" in preset) return { ...row, kind: "choices", choices: preset.choices.filter(isOptimizer) };
  if ("values" in preset) return { ...row, kind: "values", values: preset.values.join(", ") };
  return { ...row, min: String(preset.min), max: String(preset.max), logScale: preset.logScale === true };
}

/** What the server searches when tuning is on and no space is given; the editor starts from it. */
export function defaultHpSpace(): HpSpaceRow[] {
  return defaultSearchParameters.map((name, index) => newHpRow(index + 1, name));
}

/** The optimizer is picked from choices; every other parameter from numbers. */
export function kindsFor(name: SearchParameter | ""): HpRowKind[] {
  return name === "optimizer" ? ["choices"] : ["range", "values"];
}

/** Another parameter chosen for a row: the row starts again from that parameter's usual range. */
export function renameHpRow(row: HpSpaceRow, name: SearchParameter | ""): HpSpaceRow {
  return newHpRow(row.id, name);
}

/** `"64, 128 256"` → [64, 128, 256]; null when any item is not a number. */
export function parseValueList(text: string): number[] | null {
  const items = text.split(/[\s,;]+/).filter(Boolean);
  const values = items.map(parseNumber);
  return values.every((value): value is number => value !== null) ? values : null;
}

/**
 * The row as the API takes it. Only what the row's kind uses is sent (the server refuses
 * `logScale` or `steps` on a list), and `steps` only for GRID, the one strategy that reads it.
 * `integer` is left to the server, which knows which parameters are whole numbers.
 */
export function hpRangeInput(row: HpSpaceRow, strategy: SearchStrategy): HyperparameterRangeInput {
  const name = row.name;
  if (row.kind === "choices") return { name, choices: [...row.choices] };
  if (row.kind === "values") return { name, values: parseValueList(row.values) ?? [] };
  const range: HyperparameterRangeInput = {
    name,
    min: parseNumber(row.min),
    max: parseNumber(row.max),
  };
  if (row.logScale) range.logScale = true;
  const steps = parseNumber(row.steps);
  if (strategy === SearchStrategy.Grid && steps !== null) range.steps = steps;
  return range;
}

/**
 * What the server would refuse in the space, keyed as it names the fields: `hpSpace` for the
 * whole list, `hpSpace[i].name` for a row's parameter, `hpSpace[i]` for the rest of a row.
 */
export function hpSpaceErrors(rows: readonly HpSpaceRow[], strategy: SearchStrategy): Record<string, string> {
  const errors: Record<string, string> = {};
  if (rows.length === 0) {
    errors.hpSpace = "Add at least one parameter to search, or turn the search off";
    return errors;
  }
  const firstRowOf = new Map<string, number>();
  rows.forEach((row, index) => {
    const field = `hpSpace[${index}]`;
    if (row.name === "") {
      errors[`${field}.name`] = "Choose the parameter to vary";
      return;
    }
    const earlier = firstRowOf.get(row.name);
    if (earlier !== undefined) {
      errors[`${field}.name`] =
        `${row.name} is already searched in row ${earlier + 1}; give each parameter one row`;
      return;
    }
    firstRowOf.set(row.name, index);
    const problem = rowProblem(row, strategy);
    if (problem) errors[field] = problem;
  });
  return errors;
}

function rowProblem(row: HpSpaceRow, strategy: SearchStrategy): string | null {
  const name = row.name as SearchParameter;
  if (name === "optimizer") {
    return row.choices.length === 0 ? "Pick at least one optimizer" : null;
  }
  const numberRule = optionRules[name];
  if (row.kind === "values") {
    const values = parseValueList(row.values);
    if (values === null) return "Values must be numbers separated by commas";
    if (values.length === 0) return "List at least one value";
    for (const value of values) {
      const problem = ruleProblem(value, numberRule);
      if (problem) return `Value ${value} ${problem}`;
    }
    return null;
  }
  const min = parseNumber(row.min);
  const max = parseNumber(row.max);
  if (min === null || max === null) return "A range needs both min and max as numbers";
  const problem = ruleProblem(min, numberRule)
    ? `Min ${ruleProblem(min, numberRule)}`
    : ruleProblem(max, numberRule)
      ? `Max ${ruleProblem(max, numberRule)}`
      : null;
  if (problem) return problem;
  if (min > max) return `Empty range: min ${min} is greater than max ${max}`;
  if (min === max && !numberRule.integer) {
    return `Empty range: min and max are both ${min}; widen it, or list the one value`;
  }
  if (row.logScale && min <= 0) return "A log scale needs min greater than 0";
  const steps = parseNumber(row.steps);
  if (strategy === SearchStrategy.Grid && row.steps.trim() !== "") {
    if (steps === null || !Number.isInteger(steps) || steps < MIN_GRID_STEPS || steps > MAX_GRID_STEPS) {
      return `Steps must be a whole number from ${MIN_GRID_STEPS} to ${MAX_GRID_STEPS}`;
    }
  }
  return null;
}

/** A stored space (a job's options) as editor rows, to start a similar job. */
export function hpRowsFromSpace(space: readonly StoredRange[]): HpSpaceRow[] {
  return space.map((dimension, index): HpSpaceRow => {
    const name: SearchParameter | "" = (searchParameters as readonly string[]).includes(dimension.name)
      ? (dimension.name as SearchParameter)
      : "";
    const row: HpSpaceRow = { ...newHpRow(index + 1), name };
    if (dimension.choices) {
      return { ...row, kind: "choices", choices: dimension.choices.filter(isOptimizer) };
    }
    if (dimension.values) return { ...row, kind: "values", values: dimension.values.join(", ") };
    return {
      ...row,
      kind: "range",
      min: dimension.min === null || dimension.min === undefined ? "" : String(dimension.min),
      max: dimension.max === null || dimension.max === undefined ? "" : String(dimension.max),
      logScale: dimension.logScale === true,
      steps: dimension.steps === null || dimension.steps === undefined ? "" : String(dimension.steps),
    };
  });
}

const isOptimizer = (choice: string): choice is Optimizer =>
  (Object.values(Optimizer) as string[]).includes(choice);

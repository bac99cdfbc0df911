import {
  describeBounds,
  numericOptionNames,
  searchableParameters,
  trainingOptionSpecs,
  withinBounds,
  type Bounds,
  type NumericOptionName,
  type SearchableParameter,
} from "./option-spec";

/**
 * The legal values of the numeric training options, from the options table the gateway checks
 * them with (option-spec.ts). The form checks them while the person types; the server checks again
 * and its word is final (it also knows its configured limits on epochs and trials, which the
 * browser does not: those options are bounded only from below here).
 */
export interface NumberRule extends Bounds {
  integer: boolean;
}

export type NumericOption = NumericOptionName;
/** The hyperparameters a search may vary: numbers within their option's rule, or the optimizer. */
export type SearchParameter = SearchableParameter;

export const searchParameters: readonly SearchParameter[] = searchableParameters;

/** Every numeric option of the form, by its name in TrainingInput. */
export const optionRules = Object.fromEntries(
  numericOptionNames.map((name) => {
    const { type, bounds } = trainingOptionSpecs[name];
    return [name, { integer: type === "int", ...bounds }];
  }),
) as Record<NumericOption, NumberRule>;

/**
 * What a numeric option's field says under it: what the option is and its legal values, from the
 * table ("Width of each hidden layer, from 1 to 4096").
 */
export function optionHint(name: NumericOption): string {
  const spec = trainingOptionSpecs[name];
  const bounds = describeBounds(spec.bounds);
  const limit = "maxSetting" in spec ? " (the server sets the most)" : "";
  const summary = "summary" in spec ? spec.summary : "";
  const hint = summary ? `${summary}, ${bounds}` : bounds;
  return `${hint.charAt(0).toUpperCase()}${hint.slice(1)}${limit}`;
}

/** What is wrong with a value under a rule, or null when it is legal. */
export function ruleProblem(value: number, numberRule: NumberRule): string | null {
  if (!Number.isFinite(value)) return "must be a number";
  if (numberRule.integer && !Number.isInteger(value)) return "must be a whole number";
  return withinBounds(numberRule, value) ? null : `must be ${describeBounds(numberRule)}`;
}

/** A typed number (`0.001`, `1e-3`, ` 32 `); null for blank or anything that is not one. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

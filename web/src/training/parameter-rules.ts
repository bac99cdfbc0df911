/**
 * The legal values of the numeric training options, as the gateway checks them
 * (gateway/src/training/training-options.ts and search/parameter-domains.ts). The form checks
 * them while the person types; the server checks again and its word is final (it also knows its
 * configured limits on epochs and trials, which the browser does not).
 */
export interface NumberRule {
  integer: boolean;
  min: number;
  minInclusive: boolean;
  max: number;
  maxInclusive: boolean;
}

const rule = (
  integer: boolean,
  [min, minInclusive]: [number, boolean],
  [max, maxInclusive]: [number, boolean] = [Number.POSITIVE_INFINITY, false],
): NumberRule => ({ integer, min, minInclusive, max, maxInclusive });

/** The hyperparameters a search may vary: numbers within these rules, or the optimizer. */
export const searchableRules = {
  learningRate: rule(false, [0, false]),
  batchSize: rule(true, [1, true]),
  dropout: rule(false, [0, true], [1, false]),
  trainableLayersCount: rule(true, [0, true], [8, true]),
  hiddenUnits: rule(true, [1, true], [4096, true]),
  weightDecay: rule(false, [0, true]),
  momentum: rule(false, [0, true], [1, false]),
} as const satisfies Record<string, NumberRule>;

export type NumericSearchParameter = keyof typeof searchableRules;
export type SearchParameter = NumericSearchParameter | "optimizer";

export const searchParameters: readonly SearchParameter[] = [
  "learningRate",
  "batchSize",
  "dropout",
  "trainableLayersCount",
  "hiddenUnits",
  "weightDecay",
  "momentum",
  "optimizer",
];

/** Every numeric option of the form, by its name in TrainingInput. */
export const optionRules = {
  ...searchableRules,
  epochs: rule(true, [1, true]),
  validationSplit: rule(false, [0, false], [1, false]),
  seed: rule(true, [0, true]),
  lrStepSize: rule(true, [1, true]),
  lrGamma: rule(false, [0, false], [1, true]),
  lrPlateauPatience: rule(true, [1, true]),
  lrPlateauFactor: rule(false, [0, false], [1, false]),
  patience: rule(true, [1, true]),
  minDelta: rule(false, [0, true]),
  augmentedCopies: rule(true, [1, true], [16, true]),
  maxTrials: rule(true, [1, true]),
} as const satisfies Record<string, NumberRule>;

export type NumericOption = keyof typeof optionRules;

/** The rule in words, as the server words it: "greater than 0", "from 0 to 8", "at least 0 and less than 1". */
export function describeRule({ min, minInclusive, max, maxInclusive }: NumberRule): string {
  if (max === Number.POSITIVE_INFINITY) return minInclusive ? `at least ${min}` : `greater than ${min}`;
  if (minInclusive && maxInclusive) return `from ${min} to ${max}`;
  return `${minInclusive ? "at least" : "greater than"} ${min} and ${maxInclusive ? "at most" : "less than"} ${max}`;
}

/** What is wrong with a value under a rule, or null when it is legal. */
export function ruleProblem(value: number, numberRule: NumberRule): string | null {
  if (!Number.isFinite(value)) return "must be a number";
  if (numberRule.integer && !Number.isInteger(value)) return "must be a whole number";
  const aboveMin = numberRule.minInclusive ? value >= numberRule.min : value > numberRule.min;
  const belowMax = numberRule.maxInclusive ? value <= numberRule.max : value < numberRule.max;
  return aboveMin && belowMax ? null : `must be ${describeRule(numberRule)}`;
}

/** A typed number (`0.001`, `1e-3`, ` 32 `); null for blank or anything that is not one. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

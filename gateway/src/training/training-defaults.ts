import type { SearchDimension, TrainingOptions } from "./training-contracts";
import {
  ClassWeighting,
  LearningRateSchedule,
  MonitoredMetric,
  Optimizer,
  SearchStrategy,
} from "./training-enums";
import {
  defaultSearchParameters,
  trainingOptionNames,
  trainingOptionSpec,
  type OptionEnum,
  type SearchPreset,
} from "./training-option-spec";

/** The registered GraphQL enums by name: each maps a GraphQL value to the value a job stores. */
export const optionEnums = {
  Optimizer,
  LearningRateSchedule,
  MonitoredMetric,
  ClassWeighting,
  SearchStrategy,
} as const satisfies Record<OptionEnum, Record<string, string>>;

export type TrainingDefaults = Omit<TrainingOptions, "classWeights" | "featureOutput" | "hpSpace">;

/**
 * What a job runs with when the input leaves an option out (training-option-spec.ts): a small,
 * regularised head trained with Adam, stopped early on validation loss, reproducible (fixed seed).
 * Values as a job stores them (`val_loss`, not GraphQL's `VAL_LOSS`); GraphQL shows these as the
 * input's default values.
 */
export const trainingDefaults = Object.fromEntries(
  trainingOptionNames.flatMap((name): [string, unknown][] => {
    const spec = trainingOptionSpec(name);
    if (spec.type === "enum")
      return [[name, (optionEnums[spec.enum] as Record<string, string>)[spec.default]]];
    return "default" in spec ? [[name, spec.default]] : [];
  }),
) as TrainingDefaults;

/** Searched when tuning is on and no hpSpace is given (the CLI's --optimize-hyperparams). */
export const defaultSearchSpace: SearchDimension[] = defaultSearchParameters.map((name) => {
  const preset = trainingOptionSpec(name).search as SearchPreset;
  if ("values" in preset) return { name, values: [...preset.values] };
  if ("choices" in preset) return { name, choices: [...preset.choices] };
  return { name, min: preset.min, max: preset.max, ...(preset.logScale ? { logScale: true } : {}) };
});

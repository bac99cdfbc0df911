import type { TrainingLimits } from "../config";
import { badInput } from "../errors";
import { checkCount, checkLength } from "../limits";
import type { SearchDimension, TrainingOptions } from "./training-contracts";
import { defaultSearchSpace, trainingDefaults as d } from "./training-defaults";
import {
  describeBounds,
  fixedOptionNames,
  trainingOptionNames,
  trainingOptionSpec,
  trainingOptionSpecs,
  withinBounds,
  type Bounds,
  type FixedOptionName,
  type MaxSetting,
  type TrainingOptionName,
} from "./training-option-spec";
import type { ClassWeightInput, HyperparameterRangeInput, TrainingInput } from "./training.inputs";
import { validateSearchSpace } from "./search";

/** The option fields of TrainingInput; absent or null means "the default". */
export type TrainingOptionsInput = Partial<
  Omit<TrainingInput, "datasetVersionId" | "baseModelVersionId" | "targetModelSlug">
>;

/**
 * The options a job runs with: every value checked, defaults filled in. `labels` are the
 * dataset version's class names (explicit class weights must name them). Throws BAD_USER_INPUT
 * naming the field, what it must be and what came. Options are checked in the table's order
 * (training-option-spec.ts), the search space last.
 */
export function resolveTrainingOptions(
  input: TrainingOptionsInput,
  limits: TrainingLimits,
  labels: readonly string[],
): TrainingOptions {
  for (const name of fixedOptionNames) {
    const given = input[name];
    if (given !== null && given !== undefined && given !== trainingOptionSpecs[name].default) {
      throw badInput(unsupported[name], { field: name });
    }
  }
  const settings: Record<MaxSetting, number> = {
    TESSERA_MAX_EPOCHS: limits.maxEpochs,
    TESSERA_MAX_TRIALS: limits.maxTrials,
  };
  const options: Record<string, unknown> = {};
  for (const name of trainingOptionNames) options[name] = resolveOption(name, input, settings, labels);
  options.hpSpace = searchSpace(input.hpSpace, options.enableHyperparameterTuning as boolean);
  return options as unknown as TrainingOptions;
}

/** Why an option that only takes its default refuses anything else. */
const unsupported: Record<FixedOptionName, string> = {
  useTransferLearning:
    "useTransferLearning: false (training from scratch) is not supported: training fits a head on the features of a frozen base model; leave it true",
  freezeBaseModel:
    "freezeBaseModel: false is not supported: the inference tier trains heads on frozen base models only (the base's weights never change); leave it true",
};

function resolveOption(
  name: TrainingOptionName,
  input: TrainingOptionsInput,
  settings: Record<MaxSetting, number>,
  labels: readonly string[],
): unknown {
  const spec = trainingOptionSpec(name);
  const given = input[name];
  const fallback = (d as Partial<Record<TrainingOptionName, unknown>>)[name];
  switch (spec.type) {
    case "float":
    case "int": {
      const bounds = spec.maxSetting
        ? { ...spec.bounds, max: settings[spec.maxSetting], maxInclusive: true }
        : spec.bounds;
      return checked(name, (given ?? fallback) as number, bounds, spec.maxSetting);
    }
    case "boolean":
    case "enum":
      return given ?? fallback;
    case "string":
      return checkLength(name, (given as string | null | undefined)?.trim() ?? "", spec.maxLength) || null;
    case "classWeights":
      return classWeights((given as ClassWeightInput[] | null | undefined) ?? [], labels);
    case "searchSpace":
      // Checked once every other option is (it depends on enableHyperparameterTuning).
      return [];
  }
}

function searchSpace(
  given: HyperparameterRangeInput[] | null | undefined,
  tuning: boolean,
): SearchDimension[] {
  if (!tuning) {
    if (given?.length) {
      throw badInput("hpSpace is given but enableHyperparameterTuning is false; set it to true to search", {
        field: "hpSpace",
      });
    }
    return [];
  }
  return validateSearchSpace(given ? (given.map(withoutNulls) as SearchDimension[]) : defaultSearchSpace);
}

/** GraphQL hands absent input fields over as null; the stored space leaves them out. */
function withoutNulls(dimension: HyperparameterRangeInput): Partial<SearchDimension> {
  return Object.fromEntries(
    Object.entries({ ...dimension }).filter(([, value]) => value !== null && value !== undefined),
  ) as Partial<SearchDimension>;
}

function classWeights(given: ClassWeightInput[], labels: readonly string[]): Record<string, number> {
  // One weight per class at most; checked first so a huge list is refused before it is walked.
  checkCount("classWeights", given, labels.length);
  const weights: Record<string, number> = {};
  for (const [index, { label, weight }] of given.entries()) {
    const field = `classWeights[${index}]`;
    if (!labels.includes(label)) {
      throw badInput(
        `${field}: "${label}" is not a class of the dataset version; its classes are ${list(labels)}`,
        {
          field,
        },
      );
    }
    if (label in weights) throw badInput(`${field}: "${label}" is given twice`, { field });
    weights[label] = checked(`${field}.weight`, weight, positive);
  }
  return weights;
}

const positive: Bounds = { min: 0, minInclusive: false, max: Infinity, maxInclusive: false };

function checked(field: string, value: number, bounds: Bounds, limitSetting?: string): number {
  if (Number.isFinite(value) && withinBounds(bounds, value)) return value;
  const limit = limitSetting ? ` (the server's limit, ${limitSetting})` : "";
  throw badInput(`${field} must be ${describeBounds(bounds)}${limit}, got ${value}`, { field });
}

export const list = (names: readonly string[]) => names.map((n) => `"${n}"`).join(", ");

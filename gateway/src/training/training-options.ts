import type { TrainingLimits } from "../config";
import { badInput } from "../errors";
import { checkCount, checkLength, limits as fixedLimits } from "../limits";
import type { SearchableParameter, SearchDimension, TrainingOptions } from "./training-contracts";
import { defaultSearchSpace, trainingDefaults as d } from "./training-defaults";
import type { ClassWeightInput, HyperparameterRangeInput, TrainingInput } from "./training.inputs";
import { validateSearchSpace } from "./search";
import { parameterDomains, type NumericDomain } from "./search/parameter-domains";

/** The option fields of TrainingInput; absent or null means "the default". */
export type TrainingOptionsInput = Partial<
  Omit<TrainingInput, "datasetVersionId" | "baseModelVersionId" | "targetModelSlug">
>;

/**
 * The options a job runs with: every value checked, defaults filled in. `labels` are the
 * dataset version's class names (explicit class weights must name them). Throws BAD_USER_INPUT
 * naming the field, what it must be and what came.
 */
export function resolveTrainingOptions(
  input: TrainingOptionsInput,
  limits: TrainingLimits,
  labels: readonly string[],
): TrainingOptions {
  if (input.useTransferLearning === false) {
    throw badInput(
      "useTransferLearning: false (training from scratch) is not supported: training fits a head on the features of a frozen base model; leave it true",
      { field: "useTransferLearning" },
    );
  }
  if (input.freezeBaseModel === false) {
    throw badInput(
      "freezeBaseModel: false is not supported: the inference tier trains heads on frozen base models only (the base's weights never change); leave it true",
      { field: "freezeBaseModel" },
    );
  }
  const searchable = (name: SearchableParameter, value: number) =>
    checked(name, value, parameterDomains[name] as NumericDomain);
  // epochs and the options counted in epochs share one bound: a patience or step size beyond the
  // most epochs a job may run could never take effect.
  const epochCount = (field: string, value: number) =>
    checked(field, value, between(1, limits.maxEpochs), "TESSERA_MAX_EPOCHS");
  const options: TrainingOptions = {
    learningRate: searchable("learningRate", input.learningRate ?? d.learningRate),
    epochs: epochCount("epochs", input.epochs ?? d.epochs),
    batchSize: searchable("batchSize", input.batchSize ?? d.batchSize),
    validationSplit: checked("validationSplit", input.validationSplit ?? d.validationSplit, openRange(0, 1)),
    useTransferLearning: true,
    freezeBaseModel: true,
    trainableLayersCount: searchable(
      "trainableLayersCount",
      input.trainableLayersCount ?? d.trainableLayersCount,
    ),
    hiddenUnits: searchable("hiddenUnits", input.hiddenUnits ?? d.hiddenUnits),
    dropout: searchable("dropout", input.dropout ?? d.dropout),
    weightDecay: searchable("weightDecay", input.weightDecay ?? d.weightDecay),
    optimizer: input.optimizer ?? d.optimizer,
    momentum: searchable("momentum", input.momentum ?? d.momentum),
    lrSchedule: input.lrSchedule ?? d.lrSchedule,
    lrStepSize: epochCount("lrStepSize", input.lrStepSize ?? d.lrStepSize),
    lrGamma: checked("lrGamma", input.lrGamma ?? d.lrGamma, { ...openRange(0, 1), maxInclusive: true }),
    lrPlateauPatience: epochCount("lrPlateauPatience", input.lrPlateauPatience ?? d.lrPlateauPatience),
    lrPlateauFactor: checked("lrPlateauFactor", input.lrPlateauFactor ?? d.lrPlateauFactor, openRange(0, 1)),
    enableEarlyStopping: input.enableEarlyStopping ?? d.enableEarlyStopping,
    patience: epochCount("patience", input.patience ?? d.patience),
    minDelta: checked("minDelta", input.minDelta ?? d.minDelta, atLeast(0)),
    monitor: input.monitor ?? d.monitor,
    enableDataAugmentation: input.enableDataAugmentation ?? d.enableDataAugmentation,
    augmentedCopies: checked(
      "augmentedCopies",
      input.augmentedCopies ?? d.augmentedCopies,
      between(1, fixedLimits.training.augmentedCopies),
    ),
    classWeighting: input.classWeighting ?? d.classWeighting,
    classWeights: classWeights(input.classWeights ?? [], labels),
    seed: checked("seed", input.seed ?? d.seed, atLeast(0)),
    featureOutput:
      checkLength(
        "featureOutput",
        input.featureOutput?.trim() ?? "",
        fixedLimits.deployment.tensorNameLength,
      ) || null,
    enableHyperparameterTuning: input.enableHyperparameterTuning ?? d.enableHyperparameterTuning,
    hpSpace: [],
    strategy: input.strategy ?? d.strategy,
    maxTrials: checked(
      "maxTrials",
      input.maxTrials ?? d.maxTrials,
      between(1, limits.maxTrials),
      "TESSERA_MAX_TRIALS",
    ),
    pruneTrials: input.pruneTrials ?? d.pruneTrials,
  };
  options.hpSpace = searchSpace(input.hpSpace, options.enableHyperparameterTuning);
  return options;
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
    weights[label] = checked(`${field}.weight`, weight, openRange(0, Number.POSITIVE_INFINITY));
  }
  return weights;
}

type Range = Pick<NumericDomain, "min" | "minInclusive" | "max" | "maxInclusive">;

const atLeast = (min: number): Range => ({ min, minInclusive: true, max: Infinity, maxInclusive: false });
const between = (min: number, max: number): Range => ({ min, minInclusive: true, max, maxInclusive: true });
const openRange = (min: number, max: number): Range => ({
  min,
  minInclusive: false,
  max,
  maxInclusive: false,
});

function checked(field: string, value: number, range: Range, limitSetting?: string): number {
  const aboveMin = range.minInclusive ? value >= range.min : value > range.min;
  const belowMax = range.maxInclusive ? value <= range.max : value < range.max;
  if (Number.isFinite(value) && aboveMin && belowMax) return value;
  const limit = limitSetting ? ` (the server's limit, ${limitSetting})` : "";
  throw badInput(`${field} must be ${expectation(range)}${limit}, got ${value}`, { field });
}

function expectation({ min, minInclusive, max, maxInclusive }: Range): string {
  if (max === Infinity) return minInclusive ? `at least ${min}` : `greater than ${min}`;
  if (minInclusive && maxInclusive) return `from ${min} to ${max}`;
  return `${minInclusive ? "at least" : "greater than"} ${min} and ${maxInclusive ? "at most" : "less than"} ${max}`;
}

export const list = (names: readonly string[]) => names.map((n) => `"${n}"`).join(", ");

import {
  ClassWeighting,
  LearningRateSchedule,
  MonitoredMetric,
  Optimizer,
  SearchStrategy,
  type TrainingInput,
  type TrainingOptionsFieldsFragment,
} from "../gql/graphql";
import { hpRangeInput, hpRowsFromSpace, defaultHpSpace, type HpSpaceRow } from "./hp-space";
import { numericOptionNames, trainingOptionSpecs } from "./option-spec";
import { parseNumber, type NumericOption } from "./parameter-rules";

export interface ClassWeightRow {
  id: number;
  label: string;
  weight: string;
}

/**
 * The start form as typed: every option of TrainingInput, numbers as text so a half-typed
 * `1e-` can be shown with its problem instead of being lost.
 */
export interface TrainingForm extends Record<NumericOption, string> {
  datasetVersionId: string;
  baseModelVersionId: string;
  featureOutput: string;
  targetModelSlug: string;
  useTransferLearning: boolean;
  freezeBaseModel: boolean;
  optimizer: Optimizer;
  lrSchedule: LearningRateSchedule;
  enableEarlyStopping: boolean;
  monitor: MonitoredMetric;
  enableDataAugmentation: boolean;
  classWeighting: ClassWeighting;
  classWeights: ClassWeightRow[];
  enableHyperparameterTuning: boolean;
  strategy: SearchStrategy;
  pruneTrials: boolean;
  hpSpace: HpSpaceRow[];
}

/** The server's defaults (the options table's), so an untouched form runs as the API would. */
export function defaultTrainingForm(): TrainingForm {
  const spec = trainingOptionSpecs;
  const numbers = Object.fromEntries(
    numericOptionNames.map((name) => [name, String(spec[name].default)]),
  ) as Record<NumericOption, string>;
  return {
    datasetVersionId: "",
    baseModelVersionId: "",
    featureOutput: "",
    targetModelSlug: "",
    ...numbers,
    useTransferLearning: spec.useTransferLearning.default,
    freezeBaseModel: spec.freezeBaseModel.default,
    optimizer: spec.optimizer.default,
    lrSchedule: spec.lrSchedule.default,
    enableEarlyStopping: spec.enableEarlyStopping.default,
    monitor: spec.monitor.default,
    enableDataAugmentation: spec.enableDataAugmentation.default,
    classWeighting: spec.classWeighting.default,
    classWeights: [],
    enableHyperparameterTuning: spec.enableHyperparameterTuning.default,
    strategy: spec.strategy.default,
    pruneTrials: spec.pruneTrials.default,
    hpSpace: defaultHpSpace(),
  };
}

/**
 * The numeric options the form shows, and so checks and sends, for these choices. Options that
 * belong to a switched-off feature (momentum without SGD, the step size without STEP, …) are
 * hidden and left to the server's defaults.
 */
export function activeNumericOptions(form: TrainingForm): NumericOption[] {
  const options: NumericOption[] = [
    "epochs",
    "batchSize",
    "validationSplit",
    "seed",
    "trainableLayersCount",
    "hiddenUnits",
    "dropout",
    "learningRate",
    "weightDecay",
  ];
  if (form.optimizer === Optimizer.Sgd) options.push("momentum");
  if (form.lrSchedule === LearningRateSchedule.Step) options.push("lrStepSize", "lrGamma");
  if (form.lrSchedule === LearningRateSchedule.OnPlateau)
    options.push("lrPlateauPatience", "lrPlateauFactor");
  if (form.enableEarlyStopping) options.push("patience", "minDelta");
  if (form.enableDataAugmentation) options.push("augmentedCopies");
  if (form.enableHyperparameterTuning) options.push("maxTrials");
  return options;
}

/** What is sent to startTraining. Call it on a form that passed validation. */
export function trainingInput(form: TrainingForm): TrainingInput {
  const input: TrainingInput = {
    datasetVersionId: form.datasetVersionId,
    baseModelVersionId: form.baseModelVersionId,
    targetModelSlug: form.targetModelSlug.trim(),
    useTransferLearning: form.useTransferLearning,
    freezeBaseModel: form.freezeBaseModel,
    optimizer: form.optimizer,
    lrSchedule: form.lrSchedule,
    enableEarlyStopping: form.enableEarlyStopping,
    monitor: form.monitor,
    enableDataAugmentation: form.enableDataAugmentation,
    classWeighting: form.classWeighting,
    enableHyperparameterTuning: form.enableHyperparameterTuning,
  };
  for (const option of activeNumericOptions(form)) input[option] = parseNumber(form[option]);
  if (form.featureOutput.trim()) input.featureOutput = form.featureOutput.trim();
  if (form.classWeights.length > 0) {
    input.classWeights = form.classWeights.map((row) => ({
      label: row.label,
      weight: parseNumber(row.weight) ?? Number.NaN,
    }));
  }
  if (form.enableHyperparameterTuning) {
    input.strategy = form.strategy;
    input.pruneTrials = form.pruneTrials;
    input.hpSpace = form.hpSpace.map((row) => hpRangeInput(row, form.strategy));
  }
  return input;
}

export interface JobOrigin {
  datasetVersionId: string | null;
  baseModelVersionId: string | null;
  targetModelSlug: string;
  options: TrainingOptionsFieldsFragment;
}

/** A form filled from an earlier job, to train again with a change or two. */
export function formFromJob(job: JobOrigin): TrainingForm {
  const { options } = job;
  const text = (value: number) => String(value);
  return {
    ...defaultTrainingForm(),
    datasetVersionId: job.datasetVersionId ?? "",
    baseModelVersionId: job.baseModelVersionId ?? "",
    targetModelSlug: job.targetModelSlug,
    featureOutput: options.featureOutput ?? "",
    epochs: text(options.epochs),
    batchSize: text(options.batchSize),
    validationSplit: text(options.validationSplit),
    seed: text(options.seed),
    useTransferLearning: options.useTransferLearning,
    freezeBaseModel: options.freezeBaseModel,
    trainableLayersCount: text(options.trainableLayersCount),
    hiddenUnits: text(options.hiddenUnits),
    dropout: text(options.dropout),
    optimizer: options.optimizer,
    learningRate: text(options.learningRate),
    momentum: text(options.momentum),
    weightDecay: text(options.weightDecay),
    lrSchedule: options.lrSchedule,
    lrStepSize: text(options.lrStepSize),
    lrGamma: text(options.lrGamma),
    lrPlateauPatience: text(options.lrPlateauPatience),
    lrPlateauFactor: text(options.lrPlateauFactor),
    enableEarlyStopping: options.enableEarlyStopping,
    patience: text(options.patience),
    minDelta: text(options.minDelta),
    monitor: options.monitor,
    enableDataAugmentation: options.enableDataAugmentation,
    augmentedCopies: text(options.augmentedCopies),
    classWeighting: options.classWeighting,
    classWeights: options.classWeights.map((entry, index) => ({
      id: index + 1,
      label: entry.label,
      weight: text(entry.weight),
    })),
    enableHyperparameterTuning: options.enableHyperparameterTuning,
    strategy: options.strategy,
    maxTrials: text(options.maxTrials),
    pruneTrials: options.pruneTrials,
    hpSpace: options.hpSpace.length > 0 ? hpRowsFromSpace(options.hpSpace) : defaultHpSpace(),
  };
}

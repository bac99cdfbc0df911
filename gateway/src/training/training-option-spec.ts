/**
 * Every option of a training job, listed once: its type, default, legal values, the API's words
 * for it, whether a hyperparameter search may vary it, and the field of the tier's Hyperparameters
 * message (proto/tessera/training.proto) it travels in. The gateway derives TrainingInput's
 * fields, the validation, the defaults, the Train request and its limits from this table; the
 * dashboard's start form derives its rules, defaults and hints from it too (it imports this file
 * through web/src/training/option-spec.ts). So this file imports nothing and must run in browsers
 * as well as in Node. The inference tier checks its own copy of the bounds (inference/src/limits.ts).
 */

/** The legal values of a number; `max` is Infinity when nothing bounds it from above. */
export interface Bounds {
  min: number;
  minInclusive: boolean;
  max: number;
  maxInclusive: boolean;
}

/** A server setting (config.ts) that sets an option's maximum; the browser does not know it. */
export type MaxSetting = "TESSERA_MAX_EPOCHS" | "TESSERA_MAX_TRIALS";

/** The GraphQL enums of options (registered in training-enums.ts). */
export type OptionEnum =
  "Optimizer" | "LearningRateSchedule" | "MonitoredMetric" | "ClassWeighting" | "SearchStrategy";

/**
 * Where a search over the option starts in the dashboard's editor; `byDefault`: searched when
 * tuning is on and no hpSpace is given.
 */
export type SearchPreset = (
  | { min: number; max: number; logScale?: boolean }
  | { values: readonly number[] }
  | { choices: readonly string[] }
) & { byDefault?: boolean };

interface Common {
  /** TrainingInput's description of the field, word for word as the API prints it. */
  description?: string;
  /** The field of the tier's Hyperparameters message the value is sent as. */
  proto?: string;
  /** May a hyperparameter search vary it (and from what preset)? */
  search?: SearchPreset;
  /** A setting of the search itself, not of a run: a trained version does not record it. */
  searchSetting?: boolean;
}

export interface NumberOptionSpec extends Common {
  type: "float" | "int";
  default: number;
  bounds: Bounds;
  /**
   * The server's setting that sets the maximum (`bounds.max` is Infinity here). epochs and the
   * options counted in epochs share TESSERA_MAX_EPOCHS: a patience or step size beyond the most
   * epochs a job may run could never take effect.
   */
  maxSetting?: MaxSetting;
  /** What the option is, without its bounds: forms show it with the bounds in words. */
  summary?: string;
}

export interface BooleanOptionSpec extends Common {
  type: "boolean";
  default: boolean;
  /** Only the default is supported: the field exists so that clients can say so explicitly. */
  fixed?: boolean;
}

export interface EnumOptionSpec extends Common {
  type: "enum";
  enum: OptionEnum;
  /** The GraphQL value (as clients send it and the schema prints it). */
  default: string;
}

export interface TextOptionSpec extends Common {
  type: "string";
  maxLength: number;
}

/** Explicit weights by class name (ClassWeightInput list). */
export interface ClassWeightsOptionSpec extends Common {
  type: "classWeights";
}

/** The dimensions of a search (HyperparameterRangeInput list). */
export interface SearchSpaceOptionSpec extends Common {
  type: "searchSpace";
}

export type TrainingOptionSpec =
  | NumberOptionSpec
  | BooleanOptionSpec
  | EnumOptionSpec
  | TextOptionSpec
  | ClassWeightsOptionSpec
  | SearchSpaceOptionSpec;

const atLeast = (min: number): Bounds => ({ min, minInclusive: true, max: Infinity, maxInclusive: false });
const greaterThan = (min: number): Bounds => ({
  min,
  minInclusive: false,
  max: Infinity,
  maxInclusive: false,
});
const between = (min: number, max: number): Bounds => ({ min, minInclusive: true, max, maxInclusive: true });
/** `interval("[", 0, 1, ")")` is 0 ≤ x < 1. */
const interval = (open: "[" | "(", min: number, max: number, close: "]" | ")"): Bounds => ({
  min,
  minInclusive: open === "[",
  max,
  maxInclusive: close === "]",
});

/** The head's buffers grow with batch × width and with layers × width². */
const maxBatchSize = 1_024;
const maxHiddenLayers = 8;
const maxHiddenUnits = 4_096;
/** Each copy is another pass of every training image through the base model. */
const maxAugmentedCopies = 16;
/** ONNX tensor names (featureOutput here; limits.ts bounds a deployment's embeddingOutput by it). */
const maxTensorNameLength = 256;

/**
 * In TrainingInput's order, which is also the order options are checked in (the first problem is
 * the one reported). Searchable options are listed by `searchableParameters` below.
 */
export const trainingOptionSpecs = {
  learningRate: {
    type: "float",
    default: 1e-3,
    bounds: greaterThan(0),
    summary: "Step size of the optimizer",
    proto: "learning_rate",
    search: { min: 1e-4, max: 1e-2, logScale: true, byDefault: true },
  },
  epochs: {
    type: "int",
    default: 20,
    bounds: atLeast(1),
    maxSetting: "TESSERA_MAX_EPOCHS",
    description: "1 to the server's TESSERA_MAX_EPOCHS (default 1000)",
    proto: "epochs",
  },
  batchSize: {
    type: "int",
    default: 32,
    bounds: between(1, maxBatchSize),
    description: `1 to ${maxBatchSize}`,
    summary: "Samples per step",
    proto: "batch_size",
    search: { values: [16, 32, 64] },
  },
  validationSplit: {
    type: "float",
    default: 0.2,
    bounds: interval("(", 0, 1, ")"),
    description: "Share of each class held out for validation (stratified, seeded)",
    summary: "Share of each class held out for validation",
  },
  useTransferLearning: { type: "boolean", default: true, fixed: true },
  freezeBaseModel: {
    type: "boolean",
    default: true,
    fixed: true,
    description: "Only true is supported: the base model is frozen and a head is trained on its features",
  },
  trainableLayersCount: {
    type: "int",
    default: 1,
    bounds: between(0, maxHiddenLayers),
    description: `Hidden dense layers (ReLU, dropout) before the softmax layer, 0 to ${maxHiddenLayers}`,
    summary: "Hidden dense layers (ReLU, dropout) before the softmax layer",
    proto: "trainable_layers_count",
    search: { values: [0, 1, 2] },
  },
  hiddenUnits: {
    type: "int",
    default: 128,
    bounds: between(1, maxHiddenUnits),
    description: `Width of each hidden layer, 1 to ${maxHiddenUnits}`,
    summary: "Width of each hidden layer",
    proto: "hidden_units",
    search: { values: [64, 128, 256], byDefault: true },
  },
  dropout: {
    type: "float",
    default: 0.2,
    bounds: interval("[", 0, 1, ")"),
    summary: "Share of units dropped while training",
    proto: "dropout",
    search: { min: 0, max: 0.5, byDefault: true },
  },
  weightDecay: {
    type: "float",
    default: 0,
    bounds: atLeast(0),
    summary: "L2 penalty on the head's weights",
    proto: "weight_decay",
    search: { min: 1e-5, max: 1e-2, logScale: true },
  },
  optimizer: {
    type: "enum",
    enum: "Optimizer",
    default: "ADAM",
    proto: "optimizer",
    search: { choices: ["ADAM", "SGD"] },
  },
  momentum: {
    type: "float",
    default: 0.9,
    bounds: interval("[", 0, 1, ")"),
    description: "SGD only",
    summary: "SGD only",
    proto: "momentum",
    search: { min: 0.5, max: 0.95 },
  },
  lrSchedule: { type: "enum", enum: "LearningRateSchedule", default: "CONSTANT", proto: "schedule" },
  lrStepSize: {
    type: "int",
    default: 10,
    bounds: atLeast(1),
    maxSetting: "TESSERA_MAX_EPOCHS",
    description: "Epochs, 1 to TESSERA_MAX_EPOCHS",
    summary: "Epochs between reductions",
    proto: "step_size",
  },
  lrGamma: {
    type: "float",
    default: 0.1,
    bounds: interval("(", 0, 1, "]"),
    summary: "Factor per step",
    proto: "gamma",
  },
  lrPlateauPatience: {
    type: "int",
    default: 3,
    bounds: atLeast(1),
    maxSetting: "TESSERA_MAX_EPOCHS",
    description: "Epochs, 1 to TESSERA_MAX_EPOCHS",
    summary: "Epochs without improvement before reducing",
    proto: "plateau_patience",
  },
  lrPlateauFactor: {
    type: "float",
    default: 0.5,
    bounds: interval("(", 0, 1, ")"),
    summary: "Factor per reduction",
    proto: "plateau_factor",
  },
  enableEarlyStopping: { type: "boolean", default: true, proto: "early_stopping" },
  patience: {
    type: "int",
    default: 5,
    bounds: atLeast(1),
    maxSetting: "TESSERA_MAX_EPOCHS",
    description: "Epochs without improvement before stopping, 1 to TESSERA_MAX_EPOCHS",
    summary: "Epochs without improvement before stopping",
    proto: "patience",
  },
  minDelta: {
    type: "float",
    default: 0,
    bounds: atLeast(0),
    description: "Smallest change that counts as improvement",
    summary: "Smallest change that counts as improvement",
    proto: "min_delta",
  },
  monitor: { type: "enum", enum: "MonitoredMetric", default: "VAL_LOSS", proto: "monitor" },
  enableDataAugmentation: {
    type: "boolean",
    default: false,
    description: "Flips, crops, colour jitter and small rotations, applied before feature extraction",
  },
  augmentedCopies: {
    type: "int",
    default: 2,
    bounds: between(1, maxAugmentedCopies),
    description: `Augmented copies of each training image, 1 to ${maxAugmentedCopies}`,
    summary: "Augmented copies of each training image",
    // 0 when enableDataAugmentation is off: the tier then trains on the originals.
    proto: "augmented_copies",
  },
  classWeighting: { type: "enum", enum: "ClassWeighting", default: "NONE" },
  classWeights: {
    type: "classWeights",
    description:
      "Explicit weights by class, at most one per class; classes left out weigh 1 (or their BALANCED weight)",
    // One weight per label, classWeighting's and these together.
    proto: "class_weights",
  },
  seed: {
    type: "int",
    default: 42,
    bounds: atLeast(0),
    summary: "Same seed, same split, shuffles and weights",
    proto: "seed",
  },
  // Sent as the tier's BaseModel.feature_output rather than a hyperparameter.
  featureOutput: {
    type: "string",
    maxLength: maxTensorNameLength,
    description: `The base model output to read as features (rank 2 or 4, float; a name of at most ${maxTensorNameLength} characters); the tier picks one when left out`,
  },
  enableHyperparameterTuning: { type: "boolean", default: false, searchSetting: true },
  hpSpace: {
    type: "searchSpace",
    searchSetting: true,
    // The presets marked byDefault above.
    description:
      "The search space; left out, tuning searches learningRate (1e-4…1e-2, log), dropout (0…0.5) and hiddenUnits (64, 128, 256)",
  },
  strategy: { type: "enum", enum: "SearchStrategy", default: "BAYESIAN", searchSetting: true },
  maxTrials: {
    type: "int",
    default: 10,
    bounds: atLeast(1),
    maxSetting: "TESSERA_MAX_TRIALS",
    description: "1 to the server's TESSERA_MAX_TRIALS (default 100)",
    searchSetting: true,
  },
  pruneTrials: {
    type: "boolean",
    default: true,
    description: "Stop trials early that do worse than the median of earlier trials at the same epoch",
    searchSetting: true,
  },
} as const satisfies Record<string, TrainingOptionSpec>;

type Specs = typeof trainingOptionSpecs;
export type TrainingOptionName = keyof Specs;
type NamesWhere<Shape> = {
  [Name in TrainingOptionName]: Specs[Name] extends Shape ? Name : never;
}[TrainingOptionName];
export type NumericOptionName = NamesWhere<{ type: "float" | "int" }>;
export type FixedOptionName = NamesWhere<{ fixed: true }>;

/**
 * The options a search may vary, in the order searches name them (messages, the editor's menu,
 * a trial's parameters). Exactly the entries with a `search` preset; a test holds the two together.
 */
export const searchableParameters = [
  "learningRate",
  "batchSize",
  "dropout",
  "trainableLayersCount",
  "hiddenUnits",
  "weightDecay",
  "momentum",
  "optimizer",
] as const satisfies readonly NamesWhere<{ search: SearchPreset }>[];
export type SearchableParameter = (typeof searchableParameters)[number];

export const trainingOptionNames = Object.keys(trainingOptionSpecs) as TrainingOptionName[];

/** The spec of an option, typed as the union so callers can switch on `type`. */
export function trainingOptionSpec(name: TrainingOptionName): TrainingOptionSpec {
  return trainingOptionSpecs[name];
}

export function isTrainingOptionName(name: string): name is TrainingOptionName {
  return Object.hasOwn(trainingOptionSpecs, name);
}

export const numericOptionNames = trainingOptionNames.filter(
  (name): name is NumericOptionName => "bounds" in trainingOptionSpecs[name],
);

export const fixedOptionNames = trainingOptionNames.filter(
  (name): name is FixedOptionName => (trainingOptionSpec(name) as BooleanOptionSpec).fixed === true,
);

/** Searched when tuning is on and no hpSpace is given, in `searchableParameters` order. */
export const defaultSearchParameters = searchableParameters.filter(
  (name) => (trainingOptionSpecs[name].search as SearchPreset).byDefault === true,
);

export function withinBounds({ min, minInclusive, max, maxInclusive }: Bounds, value: number): boolean {
  const aboveMin = minInclusive ? value >= min : value > min;
  const belowMax = maxInclusive ? value <= max : value < max;
  return aboveMin && belowMax;
}

/** The bounds in words, as messages say them: "greater than 0", "from 0 to 8", "at least 0 and less than 1". */
export function describeBounds({ min, minInclusive, max, maxInclusive }: Bounds): string {
  if (max === Infinity) return minInclusive ? `at least ${min}` : `greater than ${min}`;
  if (minInclusive && maxInclusive) return `from ${min} to ${max}`;
  return `${minInclusive ? "at least" : "greater than"} ${min} and ${maxInclusive ? "at most" : "less than"} ${max}`;
}

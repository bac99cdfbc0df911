import { badInput } from "./errors";
import { trainingOptionSpecs as trainingOptions } from "./training/training-option-spec";

/**
 * The upper bound of every size and count a client can set, in one place. README.md's "Limits"
 * section lists each with its reason; GraphQL descriptions state the range where a field is
 * declared. Bounds an operator may move are settings (config.ts: the upload limits,
 * TESSERA_MAX_PREPROCESSING_SIZE, TESSERA_MAX_EPOCHS, TESSERA_MAX_TRIALS) and reach the checks
 * through the parsed config. The bounds of training options live in their table
 * (training/training-option-spec.ts), which the dashboard reads too; the entries here are taken from
 * it. The inference tier checks the same bounds again (inference/src/limits.ts) because KServe and
 * task clients can call it directly.
 */
export const limits = {
  /** `first` of every paged list: one page is one SQL statement and one response. */
  pageSize: 100,
  /** `k` of similarSamples: nearest-neighbour scans grow with k. */
  similarK: 1_000,
  /**
   * Points of one embedding map (a version's labelled samples with a vector in the space): PCA is
   * two passes over the vectors per iteration; umap-js (neighbour descent and 200 epochs in
   * JavaScript) takes minutes for ten thousand points.
   */
  embeddingMap: { maxPoints: 200_000, umapMaxPoints: 10_000 },
  /** Search strings and text filters of lists (`search`, a filter's `owner`). */
  searchLength: 200,
  /** `progressId` of uploadDataset and datasetUploadProgress: a key of an in-memory map (a UUID is 36). */
  uploadProgressIdLength: 64,
  /** Values of one list filter given as a list (`jobs(filter: {kind, status})`). */
  filterValues: 20,
  /** Display names: of models, datasets, labels, algorithms, Python versions, dependencies. */
  nameLength: 200,
  /** Class names of a dataset; each becomes a folder name in exports. */
  classNameLength: 100,
  descriptionLength: 10_000,
  tags: 50,
  tagLength: 64,
  /** Class labels of a model version; segmentation masks are 16-bit PNGs, so 65,536 classes at most. */
  labels: 65_536,
  dependencies: 500,
  /** Free-form JSON of a model version (customMetadata, hardwareRequirements, metrics.extra, shapes), as JSON text. */
  jsonBytes: 64 * 1024,
  /** E-mail addresses (users, training pairs): RFC 5321's longest address. */
  emailLength: 254,
  /** API token names: a label in token lists ("laptop", "ci"), not free text. */
  tokenNameLength: 100,
  /** Why a quality finding was dismissed: a note beside the finding, not a document. */
  qualityDismissalReasonLength: 1_000,
  trainingPairs: {
    instructionLength: 2_000,
    /** Session ids become folder names in the export. */
    sessionIdLength: 100,
  },
  /**
   * Samples or classes one dataset edit or import names: each is a bind parameter of one SQL
   * statement, and PostgreSQL takes at most 65,535 of those.
   */
  datasetItemsPerRequest: 10_000,
  /** The message a user gives a dataset version made by an edit. */
  versionMessageLength: 500,
  /** allowPatterns / ignorePatterns of a Hub model import: each becomes a regular expression. */
  filePatterns: 100,
  filePatternLength: 256,
  deployment: {
    maxBatchSize: 1_024,
    preferredBatchSizes: 32,
    /** 10 s: a request waiting longer for company would rather run alone. */
    maxQueueDelayMicroseconds: 10_000_000,
    maxQueueSize: 1_000_000,
    /** Sessions per tier; each holds the model's weights in memory. */
    instanceCount: 64,
    /** Tiers a deployment is loaded on (null: every tier); rendezvous placement ranks them all. */
    replicas: 64,
    /** ONNX tensor names (embeddingOutput, featureOutput). */
    tensorNameLength: trainingOptions.featureOutput.maxLength,
  },
  predictions: {
    /** Ten years: a prediction log is a working set, not an archive. */
    retentionDays: 3_650,
    /** A feedback note says why a prediction was wrong, in a sentence or two. */
    feedbackNoteLength: 2_000,
  },
  labeling: {
    /** Items of one labelling batch: a person labels it in one sitting. */
    batchSize: 500,
    /**
     * Pool items one createLabelingBatch scores before it answers: each is one tier call (unless
     * scored before) and the selection compares candidates pairwise. A dataset pool beyond it is
     * refused; a prediction log contributes its newest this many.
     */
    poolItems: 5_000,
    /** Labelled samples KCENTER starts from (a seeded sample of them beyond this). */
    coveredSamples: 1_000,
  },
  retraining: {
    /** Policies of one model: every enabled one is evaluated on each scheduler tick. */
    policiesPerModel: 20,
    /** Corrections that fire a policy. */
    feedbackCount: 1_000_000,
    /** A cron expression (croner: 5 or 6 fields, UTC). */
    scheduleLength: 100,
    /** A year: longer than that, disable the policy instead. */
    cooldownSeconds: 365 * 24 * 3600,
    /**
     * Predictions (and training samples) the drift test compares. The MMD permutation test costs
     * B × window² kernel sums; 500 keeps one evaluation to a few seconds.
     */
    driftWindowMin: 20,
    driftWindow: 500,
    /** The MMD's permutation p-value cannot go below 1 / (B + 1) = 0.002 (B = 499). */
    driftPValueMin: 0.005,
    driftPValueMax: 0.5,
    /**
     * Corrections one run takes, newest first (the rest wait for the next run): each new image
     * is decoded before the run's transaction, and each sample is a bind parameter of its edit.
     */
    correctionsPerRun: 2_000,
    /**
     * Held-out samples a duel needs to decide against a champion: on fewer, one image is worth
     * 5 points of accuracy or more, so the run does not promote (without a champion it does).
     */
    heldOutMin: 20,
    /** Evaluations kept per policy (newest; fired ones and those with a run are always kept). */
    evaluationsKept: 500,
  },
  inference: {
    topK: 1_000,
    /** The widest vector the tier's projections make. */
    embeddingDimension: 4_096,
  },
  detection: {
    /** Boxes one detectObjects answer may carry (maxDetections); the default is 300. */
    maxDetections: 1_000,
  },
  serving: {
    /** Members of one ensemble (fallbacks not counted), and its fallback members. */
    ensembleMembers: 8,
    ensembleFallbacks: 4,
    maxWeight: 1_000,
    memberTimeoutMs: { min: 100, max: 60_000, default: 10_000 },
    remote: {
      urlLength: 2_000,
      secretLength: 4_096,
      remoteModelLength: 200,
      labels: 1_000,
      labelLength: 200,
      timeoutMs: { min: 100, max: 60_000, default: 10_000 },
      perMinute: 100_000,
      perHour: 1_000_000,
      /** Largest answer body read from an endpoint. */
      responseBytes: 1_048_576,
    },
    /** Largest .tessera package importModelPackage reads (the upload limit applies too). */
    packageEntries: 1_000,
    /** Each small file of a package (metadata.json, categories.json, README.md, a test .npy), read whole. */
    packageFileBytes: 16 * 1024 * 1024,
    /** Tensors in a package's test pair (inputs, outputs), and the values one test tensor may hold. */
    packageTestTensors: 16,
    packageTestValues: 4 * 1024 * 1024,
  },
  training: {
    batchSize: trainingOptions.batchSize.bounds.max,
    /** Hidden dense layers of a head, and the width of each. */
    hiddenLayers: trainingOptions.trainableLayersCount.bounds.max,
    hiddenUnits: trainingOptions.hiddenUnits.bounds.max,
    augmentedCopies: trainingOptions.augmentedCopies.bounds.max,
    /** Points of one search dimension: `values`, `choices`, a GRID range's `steps`. */
    searchPoints: 100,
  },
} as const;

/** The limits in words, for the GraphQL descriptions of the fields they bound. */
export const limitNotes = {
  name: `1 to ${limits.nameLength} characters`,
  description: `At most ${limits.descriptionLength} characters`,
  tags: `At most ${limits.tags} tags of at most ${limits.tagLength} characters`,
  labels: `At most ${limits.labels} labels of 1 to ${limits.nameLength} characters`,
  json: `A JSON object of at most ${limits.jsonBytes} bytes as JSON text`,
  jsonValue: `Any JSON of at most ${limits.jsonBytes} bytes as JSON text`,
  dependencies: `At most ${limits.dependencies} entries of at most ${limits.nameLength} characters`,
  datasetItemsPerRequest: `At most ${limits.datasetItemsPerRequest}`,
  versionMessage: `The new version's message, at most ${limits.versionMessageLength} characters (default: what the edit did)`,
  filePatterns: `At most ${limits.filePatterns} patterns of at most ${limits.filePatternLength} characters`,
} as const;

/** `field must be between min and max, got value`; `setting` names the server setting behind a bound. */
export function checkRange(field: string, value: number, min: number, max: number, setting?: string): number {
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  const limit = setting ? ` (the server's limit, ${setting})` : "";
  throw badInput(`${field} must be between ${min} and ${max}${limit}, got ${value}`, { field });
}

export function checkCount<T extends readonly unknown[]>(field: string, list: T, max: number): T {
  if (list.length <= max) return list;
  throw badInput(`${field} must have at most ${max} entries, got ${list.length}`, { field });
}

export function checkLength(field: string, text: string, max: number): string {
  if (text.length <= max) return text;
  throw badInput(`${field} must be at most ${max} characters long, got ${text.length}`, { field });
}

/** What the analysis knows of one sample as a version holds it: its label and ingestion's measures. */
export interface QualitySample {
  id: string;
  classId: string;
  className: string;
  originalPath: string;
  sha256: string;
  perceptualHash: string;
  width: number;
  height: number;
  blurScore: number;
  meanLuma: number;
  clippedDarkFraction: number;
  clippedBrightFraction: number;
}

/** The nearest other samples of the same version in one embedding space, closest first. */
export interface SampleNeighbours {
  sampleId: string;
  neighbourIds: string[];
  /** Cosine distances of `neighbourIds`, in the same order. */
  distances: number[];
}

/** What the version's stored embeddings offer the checks. */
export interface QualityEmbeddings {
  neighbours: readonly SampleNeighbours[];
  /** Unit-length vectors by sample id, to confirm near-duplicate candidates. */
  vectors: ReadonlyMap<string, Float32Array>;
}

/** The input a base model resizes images to, for judging sizes. */
export interface BaseModelInput {
  /** How a person names it, e.g. `v3 of "ada/resnet"`. */
  name: string;
  width: number;
  height: number;
  /** Where the size was read: the deployment's preprocessing, the input tensor, or the built-in embedder. */
  source: string;
}

export interface QualityInput {
  /** In a stable order (by path): findings list sample ids in this order. */
  samples: readonly QualitySample[];
  /** Files the upload left out, with why. */
  skipped: readonly { path: string; reason: string }[];
  /** Present when the version's samples have embeddings in some space. */
  embeddings: QualityEmbeddings | null;
  /**
   * Sharpness of small images measured at their own size (Laplacian variance over intensity
   * variance), by sample id; images without one are judged on the stored blurScore or not at all.
   */
  nativeSharpness?: ReadonlyMap<string, number>;
  /** Sizes are judged only against a base model's input; null leaves them unjudged. */
  baseModel?: BaseModelInput | null;
}

export const qualityFindingKinds = [
  "CLASS_IMBALANCE",
  "SMALL_CLASSES",
  "SUSPECTED_LABEL_ERRORS",
  "EXACT_DUPLICATES",
  "NEAR_DUPLICATES",
  "UNREADABLE_FILES",
  "LOW_RESOLUTION",
  "BLURRY",
  "UNDER_EXPOSED",
  "OVER_EXPOSED",
] as const;
export type QualityFindingKind = (typeof qualityFindingKinds)[number];

export const severities = ["ERROR", "WARNING", "INFO"] as const;
export type Severity = (typeof severities)[number];

export interface Finding {
  kind: QualityFindingKind;
  severity: Severity;
  sampleIds: string[];
  recommendation: string;
  /** Why it fired: the measured values and the thresholds they crossed, in words. */
  explanation: string;
  /** Always holds `affectedFraction` (0..1), the share of the dataset the score charges for. */
  details: { affectedFraction: number } & Record<string, unknown>;
}

export const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Rounds to 4 decimals so stored fractions stay readable and compare exactly in tests. */
export const fraction = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;

export interface RobustCentre {
  median: number;
  /** 1.4826 × the median absolute deviation: the standard deviation for normal data, robust to outliers. */
  spread: number;
}

export function robustCentre(values: readonly number[]): RobustCentre {
  const centre = median(values);
  return { median: centre, spread: 1.4826 * median(values.map((value) => Math.abs(value - centre))) };
}

/** Rounds for reports: stored measures keep 3 significant decimals. */
export const round = (value: number, decimals = 3) => {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
};

export const percent = (share: number) => `${round(share * 100, 1)} %`;

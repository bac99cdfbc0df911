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
}

export interface QualityInput {
  /** In a stable order (by path): findings list sample ids in this order. */
  samples: readonly QualitySample[];
  /** Files the upload left out, with why. */
  skipped: readonly { path: string; reason: string }[];
  /** Present when the version's samples have embeddings in some space. */
  neighbours: readonly SampleNeighbours[] | null;
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

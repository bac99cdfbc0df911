import { qualityThresholds as limits } from "./quality-thresholds";
import { robustCentre, type QualitySample, type RobustCentre } from "./quality-input";

/** What an image of a class is compared with: its class's median and spread of one measure. */
export interface ClassStatistics extends RobustCentre {
  /** True when the class was too small for its own and the dataset's figures stand in. */
  fromDataset: boolean;
}

/**
 * The robust centre of `measure` in each class, over the samples it gives a value for. A class
 * with fewer than minClassForStatistics values is compared with the whole dataset instead, since a
 * median of three says little about what is usual.
 */
export function statisticsByClass(
  samples: readonly QualitySample[],
  measure: (sample: QualitySample) => number | undefined,
): Map<string, ClassStatistics> {
  const all: number[] = [];
  const byClass = new Map<string, number[]>();
  for (const sample of samples) {
    const value = measure(sample);
    if (value === undefined) continue;
    all.push(value);
    const values = byClass.get(sample.classId);
    if (values) values.push(value);
    else byClass.set(sample.classId, [value]);
  }
  const dataset = { ...robustCentre(all), fromDataset: true };
  return new Map(
    [...byClass].map(([classId, values]) => [
      classId,
      values.length >= limits.minClassForStatistics
        ? { ...robustCentre(values), fromDataset: false }
        : dataset,
    ]),
  );
}

/** "its class "coat"" or "the dataset (class "coat" has too few images)", for explanations. */
export function comparedWith(sample: QualitySample, statistics: ClassStatistics): string {
  return statistics.fromDataset
    ? `the whole dataset (class "${sample.className}" has under ${limits.minClassForStatistics} images)`
    : `class "${sample.className}"`;
}

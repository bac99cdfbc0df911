import { comparedWith, statisticsByClass, type ClassStatistics } from "./class-statistics";
import { qualityThresholds as limits } from "./quality-thresholds";
import { fraction, plural, round, type Finding, type QualitySample } from "./quality-input";

/** Nothing in the picture to be sharp: judged by the exposure checks instead. */
const blank = (s: QualitySample) => s.clippedDarkFraction >= 0.99 || s.clippedBrightFraction >= 0.99;

export const isSmallForStoredSharpness = (s: QualitySample) =>
  Math.min(s.width, s.height) < limits.nativeSharpnessBelowSide;

export interface BlurResult {
  findings: Finding[];
  /** Small images without a native measurement: their sharpness was not judged. */
  unjudged: number;
}

/**
 * Blurry means much less sharp than the image's own class usually is. Two measures are never
 * mixed: small images carry a native one (measured at their own size, contrast-normalised) and
 * are compared with their class's native figures; the rest use the stored blurScore.
 */
export function blurry(
  samples: readonly QualitySample[],
  nativeSharpness: ReadonlyMap<string, number> = new Map(),
): BlurResult {
  const native = (s: QualitySample) => (blank(s) ? undefined : nativeSharpness.get(s.id));
  const stored = (s: QualitySample) => (blank(s) || isSmallForStoredSharpness(s) ? undefined : s.blurScore);
  const measures = [
    { value: native, share: limits.nativeBlurRelativeToMedian, name: "native sharpness" },
    { value: stored, share: limits.blurRelativeToMedian, name: "blur score" },
  ];
  const blurred: Array<{
    sample: QualitySample;
    score: number;
    threshold: number;
    measure: string;
    stats: ClassStatistics;
  }> = [];
  for (const measure of measures) {
    const statistics = statisticsByClass(samples, measure.value);
    for (const sample of samples) {
      const score = measure.value(sample);
      if (score === undefined) continue;
      const stats = statistics.get(sample.classId)!;
      const threshold = measure.share * stats.median;
      if (score < threshold) blurred.push({ sample, score, threshold, measure: measure.name, stats });
    }
  }
  const unjudged = samples.filter(
    (s) => !blank(s) && isSmallForStoredSharpness(s) && !nativeSharpness.has(s.id),
  ).length;
  if (blurred.length === 0) return { findings: [], unjudged };
  const order = new Map(samples.map((s, index) => [s.id, index]));
  blurred.sort((a, b) => order.get(a.sample.id)! - order.get(b.sample.id)!);
  const one = blurred.length === 1;
  const first = blurred[0]!;
  return {
    unjudged,
    findings: [
      {
        kind: "BLURRY",
        severity: "WARNING",
        sampleIds: blurred.map(({ sample }) => sample.id),
        recommendation:
          `${plural(blurred.length, "image is", "images are")} much blurrier than ${one ? "its" : "their"} ` +
          `class usually is: retake or remove ${one ? "it" : "them"}, unless blur is what the model must handle`,
        explanation:
          `Judged against each image's own class: images of ${limits.nativeSharpnessBelowSide} px and more by their blur score ` +
          `(Laplacian variance at 256 px), flagged under ${limits.blurRelativeToMedian * 100} % of their class's median; ` +
          `smaller ones by their sharpness measured at their own size (Laplacian variance over intensity variance), ` +
          `flagged under ${limits.nativeBlurRelativeToMedian * 100} % of their class's median. E.g. ${first.sample.originalPath}: ` +
          `${first.measure} ${round(first.score)} against a median of ${round(first.stats.median)} in ${comparedWith(first.sample, first.stats)} ` +
          `(threshold ${round(first.threshold)}).`,
        details: {
          affectedFraction: fraction(blurred.length, samples.length),
          relativeToClassMedian: limits.blurRelativeToMedian,
          nativeRelativeToClassMedian: limits.nativeBlurRelativeToMedian,
          scores: blurred.map(({ sample, score, threshold, measure }) => ({
            id: sample.id,
            measure,
            score: round(score),
            threshold: round(threshold),
          })),
        },
      },
    ],
  };
}

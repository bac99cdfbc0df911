import { comparedWith, statisticsByClass, type ClassStatistics } from "./class-statistics";
import { qualityThresholds as limits } from "./quality-thresholds";
import { fraction, plural, round, type Finding, type QualitySample } from "./quality-input";

type Direction = "UNDER_EXPOSED" | "OVER_EXPOSED";

/**
 * Exposure judged against the image's class, in stops (log2 of brightness, as exposure works):
 * an image is under-exposed when its mean brightness is a robust outlier below its class
 * (exposureRobustZ spreads under the class's median) AND at least a stop under it, so a class of
 * dark garments on black is simply dark and only the image that lost its content stands out.
 * Over-exposure mirrors it with the headroom to white (1 − brightness).
 */
export function exposure(samples: readonly QualitySample[]): Finding[] {
  const findings: Finding[] = [];
  for (const direction of ["UNDER_EXPOSED", "OVER_EXPOSED"] as const) {
    const level = levelOf(direction);
    const statistics = statisticsByClass(samples, (s) => stops(level(s)));
    const flagged = samples.filter((s) => isOutlier(level(s), statistics.get(s.classId)!));
    if (flagged.length) findings.push(finding(direction, flagged, statistics, samples.length));
  }
  return findings;
}

/** Brightness for under-exposure, headroom to white for over-exposure: low is bad for both. */
const levelOf = (direction: Direction) =>
  direction === "UNDER_EXPOSED" ? (s: QualitySample) => s.meanLuma : (s: QualitySample) => 1 - s.meanLuma;

/** log2 of a level, one grey step (1/255) at least, so a black image has a finite value. */
const stops = (level: number) => Math.log2(Math.max(level, 1 / 255));

function isOutlier(level: number, stats: ClassStatistics): boolean {
  return (
    robustZ(level, stats) <= -limits.exposureRobustZ &&
    stops(level) <= stats.median + Math.log2(limits.exposureShareOfMedian)
  );
}

const robustZ = (level: number, stats: ClassStatistics) =>
  (stops(level) - stats.median) / Math.max(stats.spread, limits.exposureMinSpreadStops);

function finding(
  direction: Direction,
  flagged: QualitySample[],
  statistics: Map<string, ClassStatistics>,
  total: number,
): Finding {
  const under = direction === "UNDER_EXPOSED";
  const one = flagged.length === 1;
  const level = levelOf(direction);
  const classMedianLuma = (stats: ClassStatistics) => (under ? 2 ** stats.median : 1 - 2 ** stats.median);
  const images = flagged.map((s) => {
    const stats = statistics.get(s.classId)!;
    return {
      id: s.id,
      meanLuma: round(s.meanLuma),
      classMedianLuma: round(classMedianLuma(stats)),
      // Signed as brightness goes: negative below the class, positive above it.
      robustZ: round((under ? 1 : -1) * robustZ(level(s), stats), 1),
      clippedDarkFraction: round(s.clippedDarkFraction),
      clippedBrightFraction: round(s.clippedBrightFraction),
    };
  });
  const first = flagged[0]!;
  const firstStats = statistics.get(first.classId)!;
  const example =
    `e.g. ${first.originalPath}: mean brightness ${round(first.meanLuma)} against a median of ` +
    `${round(classMedianLuma(firstStats))} in ${comparedWith(first, firstStats)} (${round(-robustZ(level(first), firstStats), 1)} spreads ${under ? "below" : "above"}), ` +
    `${round((under ? first.clippedDarkFraction : first.clippedBrightFraction) * 100, 1)} % of its pixels clipped ${under ? "to black" : "to white"}`;
  return {
    kind: direction,
    severity: "WARNING",
    sampleIds: flagged.map((s) => s.id),
    recommendation: under
      ? `${plural(flagged.length, "image is", "images are")} much darker than the rest of ${one ? "its" : "their"} class ` +
        `(detail lost in shadow): check ${one ? "it" : "them"}, and retake with more light or remove ${one ? "it" : "them"}`
      : `${plural(flagged.length, "image is", "images are")} much brighter than the rest of ${one ? "its" : "their"} class ` +
        `(detail blown out): check ${one ? "it" : "them"}, and retake with less light or remove ${one ? "it" : "them"}`,
    explanation:
      `Judged against each image's own class, not an absolute level, so a class that is dark (or bright) by nature is not flagged. ` +
      `In stops (log2), an image counts when its ${under ? "mean brightness" : "headroom to white (1 − mean brightness)"} is at least ` +
      `${limits.exposureRobustZ} robust spreads (1.4826 × median absolute deviation, at least ${limits.exposureMinSpreadStops} stop) ` +
      `under its class's median AND at most ${limits.exposureShareOfMedian * 100} % of it; ${example}.`,
    details: {
      affectedFraction: fraction(flagged.length, total),
      robustZ: limits.exposureRobustZ,
      shareOfMedian: limits.exposureShareOfMedian,
      images,
    },
  };
}

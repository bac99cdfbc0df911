import { qualityThresholds as limits } from "./quality-thresholds";
import { fraction, median, plural, type Finding, type QualitySample } from "./quality-input";

export function unreadableFiles(
  skipped: readonly { path: string; reason: string }[],
  imageCount: number,
): Finding[] {
  if (skipped.length === 0) return [];
  return [
    {
      kind: "UNREADABLE_FILES",
      severity: "WARNING",
      sampleIds: [],
      recommendation:
        `${plural(skipped.length, "file was", "files were")} left out of the upload (listed in details with ` +
        `the reason): re-export or convert them to JPEG, PNG, WebP or GIF and upload again, or delete them from the source`,
      details: {
        affectedFraction: fraction(skipped.length, imageCount + skipped.length),
        files: skipped.map(({ path, reason }) => ({ path, reason })),
      },
    },
  ];
}

export function lowResolution(samples: readonly QualitySample[]): Finding[] {
  const small = samples.filter((s) => Math.min(s.width, s.height) < limits.minSide);
  if (small.length === 0) return [];
  return [
    {
      kind: "LOW_RESOLUTION",
      severity: "WARNING",
      sampleIds: small.map((s) => s.id),
      recommendation:
        `${plural(small.length, "image is", "images are")} under ${limits.minSide} px on the shorter side: ` +
        `replace them with larger originals or remove them; upscaled they add blur, not detail`,
      details: {
        affectedFraction: fraction(small.length, samples.length),
        minSide: limits.minSide,
        sizes: small.map((s) => ({ id: s.id, width: s.width, height: s.height })),
      },
    },
  ];
}

/**
 * Blurry means under max(absolute floor, share × median of its class), the class median standing
 * for "as sharp as this kind of picture usually is" (the dataset's median for tiny classes).
 */
export function blurry(samples: readonly QualitySample[]): Finding[] {
  const datasetMedian = median(samples.map((s) => s.blurScore));
  const byClass = new Map<string, number[]>();
  for (const s of samples) {
    const scores = byClass.get(s.classId);
    if (scores) scores.push(s.blurScore);
    else byClass.set(s.classId, [s.blurScore]);
  }
  const thresholdOf = new Map(
    [...byClass].map(([classId, scores]) => {
      const typical = scores.length >= limits.blurMinClassForMedian ? median(scores) : datasetMedian;
      return [classId, Math.max(limits.blurAbsoluteFloor, limits.blurRelativeToMedian * typical)];
    }),
  );
  const blurred = samples.filter((s) => s.blurScore < thresholdOf.get(s.classId)!);
  if (blurred.length === 0) return [];
  return [
    {
      kind: "BLURRY",
      severity: "WARNING",
      sampleIds: blurred.map((s) => s.id),
      recommendation:
        `${plural(blurred.length, "image is", "images are")} much blurrier than ${blurred.length === 1 ? "its" : "their"} ` +
        `class usually is: retake or remove ${blurred.length === 1 ? "it" : "them"}, unless blur is what the model must handle`,
      details: {
        affectedFraction: fraction(blurred.length, samples.length),
        absoluteFloor: limits.blurAbsoluteFloor,
        relativeToClassMedian: limits.blurRelativeToMedian,
        scores: blurred.map((s) => ({
          id: s.id,
          blurScore: round(s.blurScore),
          threshold: round(thresholdOf.get(s.classId)!),
        })),
      },
    },
  ];
}

export function exposure(samples: readonly QualitySample[]): Finding[] {
  const under = samples.filter(
    (s) => s.clippedDarkFraction >= limits.clippedFraction || s.meanLuma <= limits.underExposedMeanLuma,
  );
  const over = samples.filter(
    (s) => s.clippedBrightFraction >= limits.clippedFraction || s.meanLuma >= limits.overExposedMeanLuma,
  );
  const findings: Finding[] = [];
  const describe = (list: QualitySample[]) =>
    list.map((s) => ({
      id: s.id,
      meanLuma: round(s.meanLuma),
      clippedDarkFraction: round(s.clippedDarkFraction),
      clippedBrightFraction: round(s.clippedBrightFraction),
    }));
  if (under.length) {
    findings.push({
      kind: "UNDER_EXPOSED",
      severity: "WARNING",
      sampleIds: under.map((s) => s.id),
      recommendation:
        `${plural(under.length, "image is", "images are")} mostly black (detail lost in shadow): ` +
        `retake with more light or remove ${under.length === 1 ? "it" : "them"}`,
      details: {
        affectedFraction: fraction(under.length, samples.length),
        clippedFraction: limits.clippedFraction,
        maxMeanLuma: limits.underExposedMeanLuma,
        images: describe(under),
      },
    });
  }
  if (over.length) {
    findings.push({
      kind: "OVER_EXPOSED",
      severity: "WARNING",
      sampleIds: over.map((s) => s.id),
      recommendation:
        `${plural(over.length, "image is", "images are")} mostly white (detail blown out): ` +
        `retake with less light or remove ${over.length === 1 ? "it" : "them"}`,
      details: {
        affectedFraction: fraction(over.length, samples.length),
        clippedFraction: limits.clippedFraction,
        minMeanLuma: limits.overExposedMeanLuma,
        images: describe(over),
      },
    });
  }
  return findings;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

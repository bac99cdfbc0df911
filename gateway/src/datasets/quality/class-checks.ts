import { qualityThresholds as limits } from "./quality-thresholds";
import { fraction, median, plural, type Finding, type QualitySample } from "./quality-input";

interface ClassSize {
  classId: string;
  name: string;
  count: number;
  sampleIds: string[];
}

export function classSizes(samples: readonly QualitySample[]): ClassSize[] {
  const byClass = new Map<string, ClassSize>();
  for (const sample of samples) {
    let size = byClass.get(sample.classId);
    if (!size) {
      size = { classId: sample.classId, name: sample.className, count: 0, sampleIds: [] };
      byClass.set(sample.classId, size);
    }
    size.count += 1;
    size.sampleIds.push(sample.id);
  }
  return [...byClass.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/**
 * Balance is the Shannon entropy of the class shares over its maximum, ln(classes): 1 when every
 * class is the same size, towards 0 when one class holds nearly everything. Severity follows the
 * plainer largest/smallest ratio, which is what a person checks first.
 */
export function classImbalance(samples: readonly QualitySample[]): Finding[] {
  const sizes = classSizes(samples);
  if (sizes.length < 2) return [];
  const largest = sizes[0]!;
  const smallest = sizes[sizes.length - 1]!;
  const ratio = largest.count / smallest.count;
  if (ratio < limits.imbalanceWarningRatio) return [];
  const entropy = -sizes.reduce((sum, { count }) => {
    const share = count / samples.length;
    return sum + share * Math.log(share);
  }, 0);
  const balance = Math.round((entropy / Math.log(sizes.length)) * 10_000) / 10_000;
  const under = sizes.filter((size) => size.count * limits.imbalanceWarningRatio <= largest.count);
  return [
    {
      kind: "CLASS_IMBALANCE",
      severity: ratio >= limits.imbalanceErrorRatio ? "ERROR" : "WARNING",
      // Every sample of the under-represented classes: the ones a fix would add to.
      sampleIds: under.flatMap((size) => size.sampleIds),
      recommendation:
        `"${largest.name}" has ${ratio.toFixed(1)}× the samples of "${smallest.name}" ` +
        `(${largest.count} vs ${smallest.count}): collect more of ${under.map((s) => `"${s.name}"`).join(", ")}, ` +
        `or weight or resample classes in training so the model does not favour "${largest.name}"`,
      explanation:
        `The largest class has ${ratio.toFixed(1)}× the samples of the smallest; a WARNING from ` +
        `${limits.imbalanceWarningRatio}×, an ERROR from ${limits.imbalanceErrorRatio}×. Balance (entropy of the class shares ` +
        `over its maximum) is ${balance}; the score charges 1 − balance.`,
      details: {
        affectedFraction: Math.round((1 - balance) * 10_000) / 10_000,
        ratio: Math.round(ratio * 100) / 100,
        balance,
        classes: sizes.map(({ name, count }) => ({ name, count })),
      },
    },
  ];
}

export function smallClasses(samples: readonly QualitySample[]): Finding[] {
  const sizes = classSizes(samples);
  const typical = median(sizes.map((size) => size.count));
  const small = sizes
    .filter(
      (size) =>
        size.count < limits.smallClassMinSamples || size.count < limits.smallClassShareOfMedian * typical,
    )
    .reverse();
  if (small.length === 0) return [];
  const names = small.map((size) => `"${size.name}" (${size.count})`).join(", ");
  const sampleIds = small.flatMap((size) => size.sampleIds);
  return [
    {
      kind: "SMALL_CLASSES",
      severity: "ERROR",
      sampleIds,
      recommendation:
        `${plural(small.length, "class", "classes")} ${small.length === 1 ? "is" : "are"} too small to train on: ${names}. ` +
        `Add images until each has at least ${limits.smallClassMinSamples} ` +
        `(and ${Math.round(limits.smallClassShareOfMedian * 100)} % of a typical class), or merge or remove ${small.length === 1 ? "it" : "them"}`,
      explanation:
        `A class counts as too small under ${limits.smallClassMinSamples} samples or under ` +
        `${Math.round(limits.smallClassShareOfMedian * 100)} % of the median class size (${typical}): ${names}.`,
      details: {
        affectedFraction: fraction(sampleIds.length, samples.length),
        minSamples: limits.smallClassMinSamples,
        medianClassSize: typical,
        classes: small.map(({ name, count }) => ({ name, count })),
      },
    },
  ];
}

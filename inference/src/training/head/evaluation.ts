import type { ClassEvaluation, SplitEvaluation, SplitName } from "../contracts";

const calibrationBins = 10;
/** The smallest positive float32: a probability that underflowed to 0 costs -ln of this (≈ 103.3). */
const smallestProbability = 1.401298464324817e-45;

/** Index of the largest value (the first of equal ones). */
export function argmaxOf(values: Float32Array): number {
  let best = 0;
  for (let index = 1; index < values.length; index++) if (values[index]! > values[best]!) best = index;
  return best;
}

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : 0);

function perClassOf(confusion: number[], labelNames: readonly string[]): ClassEvaluation[] {
  const classes = labelNames.length;
  return labelNames.map((label, c) => {
    let support = 0;
    let predicted = 0;
    for (let other = 0; other < classes; other++) {
      support += confusion[c * classes + other]!;
      predicted += confusion[other * classes + c]!;
    }
    const truePositives = confusion[c * classes + c]!;
    const precision = ratio(truePositives, predicted);
    const recall = ratio(truePositives, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
}

/**
 * Accuracy, mean cross-entropy, per-class precision/recall/F1 (0 where undefined), the confusion
 * matrix (row = true class) and the expected calibration error: Σ over 10 equal-width confidence
 * bins (lo, hi] of (bin share of samples) × |bin accuracy − bin mean confidence|.
 */
export function evaluateSplit(
  split: SplitName,
  probabilities: readonly Float32Array[],
  labels: Uint32Array,
  labelNames: readonly string[],
): SplitEvaluation {
  const classes = labelNames.length;
  const count = probabilities.length;
  const confusion = new Array<number>(classes * classes).fill(0);
  const binCount = new Float64Array(calibrationBins);
  const binConfidence = new Float64Array(calibrationBins);
  const binCorrect = new Float64Array(calibrationBins);
  let lossSum = 0;
  let correct = 0;

  probabilities.forEach((row, index) => {
    const label = labels[index]!;
    const predicted = argmaxOf(row);
    const confidence = row[predicted]!;
    confusion[label * classes + predicted]!++;
    lossSum -= Math.log(Math.max(row[label]!, smallestProbability));
    const hit = predicted === label ? 1 : 0;
    correct += hit;
    const bin = Math.min(calibrationBins - 1, Math.max(0, Math.ceil(confidence * calibrationBins) - 1));
    binCount[bin]!++;
    binConfidence[bin]! += confidence;
    binCorrect[bin]! += hit;
  });

  let calibrationError = 0;
  for (let bin = 0; bin < calibrationBins; bin++) {
    const n = binCount[bin]!;
    if (n > 0) calibrationError += (n / count) * Math.abs(binCorrect[bin]! / n - binConfidence[bin]! / n);
  }

  return {
    split,
    count,
    accuracy: ratio(correct, count),
    loss: ratio(lossSum, count),
    perClass: perClassOf(confusion, labelNames),
    confusionMatrix: confusion,
    calibrationError,
  };
}

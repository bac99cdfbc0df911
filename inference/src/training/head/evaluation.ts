import type {
  ClassEvaluation,
  FinalSplitEvaluation,
  ReliabilityBin,
  SplitEvaluation,
  SplitName,
} from "../contracts";

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

/** Per sample: the predicted label index (argmax) and its probability. */
export function predictionsOf(probabilities: readonly Float32Array[]): {
  predicted: Uint32Array;
  confidence: Float32Array;
} {
  const predicted = new Uint32Array(probabilities.length);
  const confidence = new Float32Array(probabilities.length);
  probabilities.forEach((row, index) => {
    predicted[index] = argmaxOf(row);
    confidence[index] = row[predicted[index]!]!;
  });
  return { predicted, confidence };
}

/** 10 equal-width confidence bins (lo, hi]: how many samples, their mean confidence, their accuracy. */
export function reliabilityBins(
  predicted: Uint32Array,
  confidence: Float32Array,
  labels: Uint32Array,
): ReliabilityBin[] {
  const count = new Float64Array(calibrationBins);
  const confidenceSum = new Float64Array(calibrationBins);
  const correct = new Float64Array(calibrationBins);
  confidence.forEach((value, index) => {
    const bin = Math.min(calibrationBins - 1, Math.max(0, Math.ceil(value * calibrationBins) - 1));
    count[bin]!++;
    confidenceSum[bin]! += value;
    correct[bin]! += predicted[index] === labels[index] ? 1 : 0;
  });
  return Array.from({ length: calibrationBins }, (_, bin) => ({
    lower: bin / calibrationBins,
    upper: (bin + 1) / calibrationBins,
    count: count[bin]!,
    meanConfidence: ratio(confidenceSum[bin]!, count[bin]!),
    accuracy: ratio(correct[bin]!, count[bin]!),
  }));
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
  const { evaluation } = evaluateWithSamples(split, probabilities, labels, labelNames);
  return evaluation;
}

/** evaluateSplit, plus what a final evaluation keeps per sample and its reliability bins. */
export function evaluateFinalSplit(
  split: SplitName,
  probabilities: readonly Float32Array[],
  labels: Uint32Array,
  labelNames: readonly string[],
): FinalSplitEvaluation {
  const { evaluation, predicted, confidence, reliability } = evaluateWithSamples(
    split,
    probabilities,
    labels,
    labelNames,
  );
  return { ...evaluation, predicted, confidence, reliability };
}

function evaluateWithSamples(
  split: SplitName,
  probabilities: readonly Float32Array[],
  labels: Uint32Array,
  labelNames: readonly string[],
) {
  const classes = labelNames.length;
  const count = probabilities.length;
  const { predicted, confidence } = predictionsOf(probabilities);
  const confusion = new Array<number>(classes * classes).fill(0);
  let lossSum = 0;
  let correct = 0;
  probabilities.forEach((row, index) => {
    const label = labels[index]!;
    confusion[label * classes + predicted[index]!]!++;
    lossSum -= Math.log(Math.max(row[label]!, smallestProbability));
    if (predicted[index] === label) correct += 1;
  });
  const reliability = reliabilityBins(predicted, confidence, labels);
  let calibrationError = 0;
  for (const bin of reliability) {
    if (bin.count > 0) calibrationError += (bin.count / count) * Math.abs(bin.accuracy - bin.meanConfidence);
  }
  const evaluation: SplitEvaluation = {
    split,
    count,
    accuracy: ratio(correct, count),
    loss: ratio(lossSum, count),
    perClass: perClassOf(confusion, labelNames),
    confusionMatrix: confusion,
    calibrationError,
  };
  return { evaluation, predicted, confidence, reliability };
}

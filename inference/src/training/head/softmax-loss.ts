/** What one mini-batch contributed to its epoch's training loss and accuracy. */
export interface BatchLoss {
  /** Σ class weight × cross-entropy over the batch's rows. */
  weightedLoss: number;
  weightSum: number;
  correct: number;
}

/** probabilities[r, ·] = softmax(logits[r, ·]); the two may be the same array. */
export function softmaxRows(
  logits: Float32Array,
  rows: number,
  classes: number,
  probabilities: Float32Array,
): void {
  for (let row = 0; row < rows; row++) {
    const base = row * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[base + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[base + c]! - max);
    const logSum = max + Math.log(sum);
    for (let c = 0; c < classes; c++) probabilities[base + c] = Math.exp(logits[base + c]! - logSum);
  }
}

/**
 * Weighted softmax cross-entropy: the batch loss is Σ w·CE / Σ w (w = the weight of the row's
 * class), so class weights shift the balance between classes without changing the loss's scale.
 * Writes d(batch loss)/d(logits) into `delta` (it may be `logits` itself).
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  rows: number,
  classes: number,
  labels: Uint32Array,
  classWeights: Float64Array,
  delta: Float32Array,
): BatchLoss {
  let weightedLoss = 0;
  let weightSum = 0;
  let correct = 0;
  for (let row = 0; row < rows; row++) {
    const base = row * classes;
    const label = labels[row]!;
    let max = -Infinity;
    let predicted = 0;
    for (let c = 0; c < classes; c++) {
      const logit = logits[base + c]!;
      if (logit > max) [max, predicted] = [logit, c];
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[base + c]! - max);
    const logSum = max + Math.log(sum);
    const weight = classWeights[label]!;
    weightedLoss += weight * (logSum - logits[base + label]!);
    weightSum += weight;
    if (predicted === label) correct++;
    for (let c = 0; c < classes; c++) delta[base + c] = Math.exp(logits[base + c]! - logSum);
  }
  const scale = weightSum > 0 ? 1 / weightSum : 0;
  for (let row = 0; row < rows; row++) {
    const base = row * classes;
    const label = labels[row]!;
    const factor = classWeights[label]! * scale;
    for (let c = 0; c < classes; c++) {
      const target = c === label ? 1 : 0;
      delta[base + c] = (delta[base + c]! - target) * factor;
    }
  }
  return { weightedLoss, weightSum, correct };
}

/**
 * Vector scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017), fitted on the
 * model's own probabilities: adjusted logits a_k = w_k · log p_k + b_k, adjusted probabilities
 * softmax(a). w = 1, b = 0 is the identity (softmax(log p) = p), and the L2 penalty pulls towards
 * it, so a handful of corrections moves the scores only a little. Per-class biases undo a
 * systematic preference (class 5 winning where 3 was right); per-class scales undo over- or
 * under-confidence of one class.
 */

/** Labelled examples: each row the model's probabilities in output order, with the right class. */
export interface LabelledScores {
  classCount: number;
  /** rows × classCount, row-major. */
  probabilities: Float64Array;
  targets: Int32Array;
}

/** Probabilities below this are taken as this: log 0 would make every scale meaningless. */
export const PROBABILITY_FLOOR = 1e-7;

/** [scales (classCount), biases (classCount)]. */
export type VectorScalingParameters = Float64Array;

export function identityParameters(classCount: number): VectorScalingParameters {
  const parameters = new Float64Array(2 * classCount);
  parameters.fill(1, 0, classCount);
  return parameters;
}

/** log of each probability, floored: computed once per data set, read by every evaluation. */
export function logProbabilities(probabilities: Float64Array): Float64Array {
  const logs = new Float64Array(probabilities.length);
  for (let i = 0; i < probabilities.length; i++) {
    logs[i] = Math.log(Math.max(probabilities[i]!, PROBABILITY_FLOOR));
  }
  return logs;
}

/**
 * Mean cross-entropy of the adjusted probabilities plus (λ / 2n)·‖θ − identity‖², and its gradient
 * (written into `gradient`). λ weighs the identity like λ examples would: its pull fades as
 * feedback accumulates.
 */
export function vectorScalingLoss(
  parameters: VectorScalingParameters,
  logs: Float64Array,
  targets: Int32Array,
  classCount: number,
  lambda: number,
  gradient: Float64Array,
): number {
  const rows = targets.length;
  const scales = parameters.subarray(0, classCount);
  const biases = parameters.subarray(classCount);
  gradient.fill(0);
  const scaleGradient = gradient.subarray(0, classCount);
  const biasGradient = gradient.subarray(classCount);
  const logits = new Float64Array(classCount);
  let loss = 0;
  for (let row = 0; row < rows; row++) {
    const offset = row * classCount;
    let max = -Infinity;
    for (let k = 0; k < classCount; k++) {
      logits[k] = scales[k]! * logs[offset + k]! + biases[k]!;
      max = Math.max(max, logits[k]!);
    }
    let sum = 0;
    for (let k = 0; k < classCount; k++) {
      logits[k] = Math.exp(logits[k]! - max);
      sum += logits[k]!;
    }
    const target = targets[row]!;
    loss += -Math.log(logits[target]! / sum);
    for (let k = 0; k < classCount; k++) {
      const delta = logits[k]! / sum - (k === target ? 1 : 0);
      scaleGradient[k] = scaleGradient[k]! + delta * logs[offset + k]!;
      biasGradient[k] = biasGradient[k]! + delta;
    }
  }
  let penalty = 0;
  for (let k = 0; k < classCount; k++) {
    const scaleOffset = scales[k]! - 1;
    const bias = biases[k]!;
    penalty += scaleOffset * scaleOffset + bias * bias;
    scaleGradient[k] = (scaleGradient[k]! + lambda * scaleOffset) / rows;
    biasGradient[k] = (biasGradient[k]! + lambda * bias) / rows;
  }
  return (loss + (lambda / 2) * penalty) / rows;
}

/** The adjusted probabilities of one row of the model's probabilities (output order). */
export function applyVectorScaling(
  parameters: VectorScalingParameters,
  probabilities: ArrayLike<number>,
): Float64Array {
  const classCount = probabilities.length;
  const adjusted = new Float64Array(classCount);
  let max = -Infinity;
  for (let k = 0; k < classCount; k++) {
    const log = Math.log(Math.max(probabilities[k]!, PROBABILITY_FLOOR));
    adjusted[k] = parameters[k]! * log + parameters[classCount + k]!;
    max = Math.max(max, adjusted[k]!);
  }
  let sum = 0;
  for (let k = 0; k < classCount; k++) {
    adjusted[k] = Math.exp(adjusted[k]! - max);
    sum += adjusted[k]!;
  }
  for (let k = 0; k < classCount; k++) adjusted[k] = adjusted[k]! / sum;
  return adjusted;
}

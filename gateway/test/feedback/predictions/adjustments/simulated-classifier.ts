import { seededGaussian, seededRandom } from "@tessera/seeded-random";
import type { LabelledScores } from "../../../../src/feedback/adjustments/vector-scaling";

export const SIMULATED_CLASSES = 10;
/** Logit of the right class above the others (whose logits are standard normal). */
const SIGNAL = 4;
/**
 * Added to class 5's logit whenever the truth is 3: l₅ − l₃ ~ N(shift − SIGNAL, 2), so with this
 * shift about 30 % of the 3s come out as 5 (Φ(−0.52) ≈ 0.30).
 */
export const CONFUSION_SHIFT = SIGNAL - 0.52 * Math.SQRT2;

/**
 * A 10-class classifier's probabilities on `rows` images of uniformly drawn classes, with the right
 * class of each; `shift` > 0 makes it take 3 for 5 (a systematic confusion), 0 leaves only noise.
 */
export function simulateClassifier(rows: number, shift: number, seed: number): LabelledScores {
  const uniform = seededRandom(seed);
  const gaussian = seededGaussian(seed ^ 0x5bd1e995);
  const probabilities = new Float64Array(rows * SIMULATED_CLASSES);
  const targets = new Int32Array(rows);
  const logits = new Float64Array(SIMULATED_CLASSES);
  for (let row = 0; row < rows; row++) {
    const target = Math.floor(uniform() * SIMULATED_CLASSES);
    targets[row] = target;
    for (let k = 0; k < SIMULATED_CLASSES; k++) logits[k] = gaussian() + (k === target ? SIGNAL : 0);
    if (target === 3) logits[5] = logits[5]! + shift;
    const max = Math.max(...logits);
    let sum = 0;
    for (let k = 0; k < SIMULATED_CLASSES; k++) sum += Math.exp(logits[k]! - max);
    for (let k = 0; k < SIMULATED_CLASSES; k++) {
      probabilities[row * SIMULATED_CLASSES + k] = Math.exp(logits[k]! - max) / sum;
    }
  }
  return { classCount: SIMULATED_CLASSES, probabilities, targets };
}

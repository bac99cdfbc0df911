/**
 * Shannon entropy of a probability vector divided by log(classes): 0 when one class holds all the
 * mass, 1 when every class has the same score. Scores are renormalised first (a logged vector
 * carries float32 rounding) and zeros contribute nothing.
 */
export function normalisedEntropy(scores: ArrayLike<number>): number {
  if (scores.length < 2) return 0;
  let total = 0;
  for (let k = 0; k < scores.length; k++) total += Math.max(scores[k]!, 0);
  if (!(total > 0)) return 0;
  let entropy = 0;
  for (let k = 0; k < scores.length; k++) {
    const p = Math.max(scores[k]!, 0) / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.min(1, entropy / Math.log(scores.length));
}

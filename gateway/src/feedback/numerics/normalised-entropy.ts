/**
 * Shannon entropy of a probability vector (`classes` values from `offset`) divided by
 * log(classes): 0 when one class holds all the mass, 1 when every class has the same score.
 * Scores are renormalised first, since a logged vector carries float32 rounding (and negative
 * noise, clamped to 0); zeros contribute nothing. The prediction log's `uncertainty`, the ENTROPY
 * labelling strategy and the retraining trigger on mean uncertainty all read this one measure.
 */
export function normalisedEntropy(
  probabilities: ArrayLike<number>,
  classes = probabilities.length,
  offset = 0,
): number {
  if (classes < 2) return 0;
  let total = 0;
  for (let c = 0; c < classes; c++) total += Math.max(0, probabilities[offset + c]!);
  if (!(total > 0)) return 0;
  let entropy = 0;
  for (let c = 0; c < classes; c++) {
    const p = Math.max(0, probabilities[offset + c]!) / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.min(1, entropy / Math.log(classes));
}

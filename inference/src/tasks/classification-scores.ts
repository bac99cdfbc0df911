/**
 * Scores → probabilities. A classifier may end with Softmax or stop at logits; scores that are
 * all within [0, 1] and sum to 1 (within 1e-3, float32 rounding over thousands of classes) are
 * taken as probabilities already and kept as they are, anything else gets a softmax. Logits that
 * happen to look like a distribution are rare enough that applying softmax twice (which flattens
 * every distribution towards uniform) is the worse mistake.
 */
export function toProbabilities(scores: ArrayLike<number>): Float64Array {
  if (isProbabilityDistribution(scores)) return Float64Array.from(scores);
  return softmax(scores);
}

export function isProbabilityDistribution(scores: ArrayLike<number>, tolerance = 1e-3): boolean {
  let sum = 0;
  for (let index = 0; index < scores.length; index++) {
    const score = scores[index]!;
    if (!(score >= 0 && score <= 1)) return false;
    sum += score;
  }
  return scores.length > 0 && Math.abs(sum - 1) <= tolerance;
}

/** Softmax with the maximum subtracted first, so large logits do not overflow exp. */
export function softmax(scores: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let index = 0; index < scores.length; index++) max = Math.max(max, scores[index]!);
  const result = new Float64Array(scores.length);
  let sum = 0;
  for (let index = 0; index < scores.length; index++) {
    result[index] = Math.exp(scores[index]! - max);
    sum += result[index]!;
  }
  for (let index = 0; index < result.length; index++) result[index]! /= sum;
  return result;
}

export interface RankedClass {
  index: number;
  score: number;
}

/** The k best classes, highest score first; ties keep the lower index first. */
export function topK(scores: ArrayLike<number>, k: number): RankedClass[] {
  const ranked = Array.from({ length: scores.length }, (_, index) => ({ index, score: scores[index]! }));
  ranked.sort((a, b) => b.score - a.score || a.index - b.index);
  return ranked.slice(0, Math.max(0, k));
}

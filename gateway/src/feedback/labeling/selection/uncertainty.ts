import { normalisedEntropy } from "../../numerics/normalised-entropy";

/** How a batch ranks pool items; RANDOM ranks them by a seeded draw instead of the model. */
export type LabelingStrategy = "LEAST_CONFIDENCE" | "MARGIN" | "ENTROPY" | "RANDOM";

/**
 * One item's uncertainty from its class probabilities (`classes` values from `offset`), 0 (sure)
 * to 1 (no idea). Scores are renormalised first: a logged vector may not sum to exactly 1
 * (float32, or negative noise clamped to 0). RANDOM reports the normalised entropy, so a user
 * still sees how uncertain the model was about what the draw picked.
 */
export function uncertaintyOf(
  strategy: LabelingStrategy,
  probabilities: ArrayLike<number>,
  classes: number,
  offset = 0,
): number {
  if (strategy === "ENTROPY" || strategy === "RANDOM")
    return normalisedEntropy(probabilities, classes, offset);
  let total = 0;
  for (let c = 0; c < classes; c++) total += Math.max(0, probabilities[offset + c]!);
  if (!(total > 0) || classes < 2) return 0;
  const p = (c: number) => Math.max(0, probabilities[offset + c]!) / total;
  switch (strategy) {
    case "LEAST_CONFIDENCE": {
      let top = 0;
      for (let c = 0; c < classes; c++) top = Math.max(top, p(c));
      return clamp01(1 - top);
    }
    case "MARGIN": {
      let first = 0;
      let second = 0;
      for (let c = 0; c < classes; c++) {
        const value = p(c);
        if (value > first) [first, second] = [value, first];
        else if (value > second) second = value;
      }
      return clamp01(1 - (first - second));
    }
  }
}

/** The uncertainty of every row of an n × classes probability matrix (row-major). */
export function uncertainties(
  strategy: LabelingStrategy,
  probabilities: ArrayLike<number>,
  classes: number,
): Float64Array {
  const count = classes > 0 ? Math.floor(probabilities.length / classes) : 0;
  const result = new Float64Array(count);
  for (let i = 0; i < count; i++) result[i] = uncertaintyOf(strategy, probabilities, classes, i * classes);
  return result;
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

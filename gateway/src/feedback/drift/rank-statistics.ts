/**
 * Rank statistics for a score that should be higher on positives: the ROC AUC and the
 * Mann–Whitney test of AUC > 0.5, ties given their average rank.
 */

export interface MannWhitneyResult {
  /** U of the positives: pairs (positive, negative) ordered correctly, ties counting one half (summed over groups). */
  u: number;
  /** U / (positives × negatives): the probability a positive outscores a negative (the groups' mean). */
  auc: number;
  z: number;
  /** One-sided: how likely an AUC this far above 0.5 is when scores do not depend on the label. */
  pValue: number;
}

/** Ranks 1…n of the values (ties share their mean rank) and Σ (t³ − t) over groups of t ties. */
export function averageRanks(values: Float64Array): { ranks: Float64Array; tieTerm: number } {
  const order = Array.from(values.keys()).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(values.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end += 1;
    const shared = (start + 1 + end) / 2;
    for (let index = start; index < end; index++) ranks[order[index]!] = shared;
    const tied = end - start;
    tieTerm += tied * tied * tied - tied;
    start = end;
  }
  return { ranks, tieTerm };
}

/** U of one group of scores, with what it is compared against under the null hypothesis. */
export interface MannWhitneyStatistic {
  u: number;
  /** positives × negatives: U / pairs is the AUC. */
  pairs: number;
  /** U's variance when scores do not depend on the label, ties corrected. */
  variance: number;
}

/** U of the positives (pairs ordered correctly, ties counting one half) and its null variance. */
export function mannWhitneyStatistic(scores: Float64Array, positive: Uint8Array): MannWhitneyStatistic {
  const count = scores.length;
  const { ranks, tieTerm } = averageRanks(scores);
  let positives = 0;
  let positiveRankSum = 0;
  for (let index = 0; index < count; index++) {
    if (!positive[index]) continue;
    positives += 1;
    positiveRankSum += ranks[index]!;
  }
  const negatives = count - positives;
  if (positives === 0 || negatives === 0)
    throw new RangeError("the AUC needs at least one positive and one negative");
  const pairs = positives * negatives;
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  const variance = (pairs / 12) * (count + 1 - tieTerm / (count * (count - 1)));
  return { u, pairs, variance };
}

/**
 * One-sided test (positives higher) of the statistics of independent groups together, as a
 * stratified rank test does: Σ (U − pairs/2) over the groups against √(Σ variance), through the
 * normal approximation with one continuity correction of one half. Ranks are only ever compared
 * within a group, so groups whose scores are on different scales (each fold of a cross-validation
 * scored by its own model) combine soundly. The AUC is the groups' mean.
 */
export function combinedMannWhitney(groups: readonly MannWhitneyStatistic[]): MannWhitneyResult {
  let u = 0;
  let excess = 0;
  let variance = 0;
  let auc = 0;
  for (const group of groups) {
    u += group.u;
    excess += group.u - group.pairs / 2;
    variance += group.variance;
    auc += group.u / group.pairs;
  }
  const z = variance > 0 ? (excess - 0.5) / Math.sqrt(variance) : 0;
  return { u, auc: auc / groups.length, z, pValue: variance > 0 ? standardNormalUpperTail(z) : 1 };
}

/**
 * The Mann–Whitney U test through the normal approximation with the tie correction of the
 * variance and a continuity correction of one half, one-sided (positives higher). Exact enough
 * from about ten of each; the drift trigger asks for twenty at least.
 */
export function mannWhitneyTest(scores: Float64Array, positive: Uint8Array): MannWhitneyResult {
  return combinedMannWhitney([mannWhitneyStatistic(scores, positive)]);
}

/** P(Z > z) for a standard normal Z. */
export function standardNormalUpperTail(z: number): number {
  return 0.5 * complementaryErrorFunction(z / Math.SQRT2);
}

/**
 * erfc by the Chebyshev fit of Numerical Recipes (erfcc): relative error below 1.2e-7 for every
 * x, including the far tail where 1 − erf(x) would cancel to nothing.
 */
export function complementaryErrorFunction(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const polynomial =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const tail = t * Math.exp(-z * z + polynomial);
  return x >= 0 ? tail : 2 - tail;
}

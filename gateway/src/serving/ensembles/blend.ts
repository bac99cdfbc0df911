import type { EnsembleBlend } from "../serving.types";

/** A blend by name (the GraphQL enum's values), so the numerics load without the schema's decorators. */
export type BlendMode = `${EnsembleBlend}`;

/** What one member that answered said: its probability per label, and its weight. */
export interface MemberAnswer {
  weight: number;
  /** Highest first; labels the ensemble does not know are ignored. */
  scores: ReadonlyArray<{ label: string; score: number }>;
}

/** The blended score of each of the ensemble's labels, and the order they rank in. */
export interface Blended {
  /** scores[c] belongs to labels[c]. */
  scores: Float64Array;
  /** Label indices, best first. */
  ranking: number[];
}

/**
 * The member probabilities pᵢ(c) aligned on `labels` by name: row i, column c; a member without
 * label c has pᵢ(c) = 0.
 */
export function alignedProbabilities(
  labels: readonly string[],
  answers: readonly MemberAnswer[],
): Float64Array[] {
  const column = new Map(labels.map((label, c) => [label, c]));
  return answers.map((answer) => {
    const row = new Float64Array(labels.length);
    for (const { label, score } of answer.scores) {
      const c = column.get(label);
      if (c !== undefined) row[c] = score;
    }
    return row;
  });
}

/**
 * Blends the answers of the members that answered, by the formulas of the EnsembleBlend enum's
 * description. When the weights that answered sum to 0 (only zero-weight members answered), each
 * counts 1: an answer of zeros would rank the labels arbitrarily.
 */
export function blend(mode: BlendMode, labels: readonly string[], answers: readonly MemberAnswer[]): Blended {
  const p = alignedProbabilities(labels, answers);
  const weights = effectiveWeights(answers);
  switch (mode) {
    case "AVERAGE":
      return ranked(weightedMean(p, weights, labels.length));
    case "CONFIDENCE_WEIGHTED": {
      const confident = weights.map((w, i) => w * maxOf(answers[i]!.scores));
      // All-zero confidences (members answering zeros) leave the plain weights.
      const total = confident.reduce((a, b) => a + b, 0);
      return ranked(weightedMean(p, total > 0 ? confident : weights, labels.length));
    }
    case "MAX": {
      const scores = new Float64Array(labels.length);
      for (const row of p) for (let c = 0; c < row.length; c++) scores[c] = Math.max(scores[c]!, row[c]!);
      return ranked(scores);
    }
    case "VOTE": {
      const votes = new Float64Array(labels.length);
      const total = weights.reduce((a, b) => a + b, 0);
      p.forEach((row, i) => {
        const top = topColumn(row);
        if (top >= 0) votes[top] = votes[top]! + weights[i]! / total;
      });
      return ranked(votes, weightedMean(p, weights, labels.length));
    }
  }
}

/** Σ wᵢ pᵢ(c) / Σ wᵢ for every c. */
function weightedMean(p: readonly Float64Array[], weights: readonly number[], width: number): Float64Array {
  const scores = new Float64Array(width);
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return scores;
  p.forEach((row, i) => {
    const w = weights[i]! / total;
    for (let c = 0; c < width; c++) scores[c] = scores[c]! + w * row[c]!;
  });
  return scores;
}

function effectiveWeights(answers: readonly MemberAnswer[]): number[] {
  const weights = answers.map((a) => a.weight);
  return weights.some((w) => w > 0) ? weights : weights.map(() => 1);
}

function maxOf(scores: MemberAnswer["scores"]): number {
  return scores.reduce((best, s) => Math.max(best, s.score), 0);
}

/** The member's top label among the ensemble's; the first on a tie; -1 when it knows none. */
function topColumn(row: Float64Array): number {
  let top = -1;
  for (let c = 0; c < row.length; c++) if (row[c]! > 0 && (top < 0 || row[c]! > row[top]!)) top = c;
  return top;
}

/** Best first: by score, then by `tieBreak` (VOTE: the AVERAGE), then in label order. */
function ranked(scores: Float64Array, tieBreak?: Float64Array): Blended {
  const ranking = Array.from(scores.keys()).sort(
    (a, b) => scores[b]! - scores[a]! || (tieBreak ? tieBreak[b]! - tieBreak[a]! : 0) || a - b,
  );
  return { scores, ranking };
}

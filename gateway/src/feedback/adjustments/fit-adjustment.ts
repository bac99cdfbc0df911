import { seededRandom, shuffledIndices } from "@tessera/seeded-random";
import { defaultMinimiseOptions, minimise, type MinimiseOptions } from "./lbfgs";
import {
  applyVectorScaling,
  identityParameters,
  logProbabilities,
  vectorScalingLoss,
  type LabelledScores,
  type VectorScalingParameters,
} from "./vector-scaling";

export const VECTOR_SCALING = "vector-scaling";

export interface AdjustmentOptions {
  /** Folds of the cross-validation that decides whether the adjustment is applied. */
  folds: number;
  /** Below this many labelled rows nothing is applied: held-out accuracy on fewer is noise. */
  minFeedback: number;
  /**
   * How sure the held-out gain must be, as a one-sided normal quantile of McNemar's test on the
   * rows the adjustment changed: (fixed − broken) ≥ z·√(fixed + broken), and at least two rows.
   * A paired test rather than a fixed margin: a real gain of 1 % shows on 1,000 rows, and a lucky
   * fold on 30 rows does not switch the adjustment on.
   */
  confidenceZ: number;
  /** The identity's weight, in examples (see vectorScalingLoss). */
  lambda: number;
  seed: number;
  optimiser: MinimiseOptions;
}

export const defaultAdjustmentOptions: AdjustmentOptions = {
  folds: 5,
  minFeedback: 20,
  confidenceZ: 1.96,
  lambda: 2,
  seed: 13,
  optimiser: defaultMinimiseOptions,
};

export interface FittedAdjustment {
  method: typeof VECTOR_SCALING;
  /** Fitted on every row; what is applied when `active`. */
  parameters: VectorScalingParameters;
  feedbackCount: number;
  /** The model's accuracy on the rows (each row held out once, so this is its plain accuracy). */
  accuracyBefore: number;
  /** Accuracy of the adjustment on the rows it was not fitted on, over all folds. */
  accuracyAfter: number;
  active: boolean;
}

/** Parameters minimising the penalised loss on `data`, from the identity. */
export function fitVectorScaling(
  data: LabelledScores,
  lambda: number,
  optimiser: MinimiseOptions = defaultMinimiseOptions,
): VectorScalingParameters {
  const logs = logProbabilities(data.probabilities);
  const objective = (x: Float64Array, gradient: Float64Array) =>
    vectorScalingLoss(x, logs, data.targets, data.classCount, lambda, gradient);
  return minimise(objective, identityParameters(data.classCount), optimiser).x;
}

/**
 * K-fold cross-validation, then a fit on everything: `active` only when, on at least
 * `minFeedback` rows, the held-out accuracy after beats the model's own surely enough (see
 * `confidenceZ`).
 */
export function fitAdjustment(data: LabelledScores, options = defaultAdjustmentOptions): FittedAdjustment {
  const rows = data.targets.length;
  const accuracyBefore = rows === 0 ? 0 : correctCount(data, null) / rows;
  if (rows < options.minFeedback || rows < 2) {
    return {
      method: VECTOR_SCALING,
      parameters: identityParameters(data.classCount),
      feedbackCount: rows,
      accuracyBefore,
      accuracyAfter: accuracyBefore,
      active: false,
    };
  }
  const { fixed, broken } = crossValidate(data, options);
  const accuracyAfter = accuracyBefore + (fixed - broken) / rows;
  const gain = fixed - broken;
  return {
    method: VECTOR_SCALING,
    parameters: fitVectorScaling(data, options.lambda, options.optimiser),
    feedbackCount: rows,
    accuracyBefore,
    accuracyAfter,
    active: gain >= 2 && gain >= options.confidenceZ * Math.sqrt(fixed + broken),
  };
}

/**
 * Each row scored by an adjustment fitted without its fold: `fixed` rows the model got wrong and
 * the adjustment right, `broken` the other way round.
 */
export function crossValidate(data: LabelledScores, options: AdjustmentOptions) {
  const rows = data.targets.length;
  const foldCount = Math.min(options.folds, rows);
  const folds = foldAssignment(rows, foldCount, options.seed);
  let fixed = 0;
  let broken = 0;
  for (let fold = 0; fold < foldCount; fold++) {
    const parameters = fitVectorScaling(
      subset(data, (row) => folds[row] !== fold),
      options.lambda,
      options.optimiser,
    );
    for (let row = 0; row < rows; row++) {
      if (folds[row] !== fold) continue;
      const scores = rowOf(data, row);
      const before = argmax(scores) === data.targets[row];
      const after = argmax(applyVectorScaling(parameters, scores)) === data.targets[row];
      if (after && !before) fixed++;
      if (before && !after) broken++;
    }
  }
  return { fixed, broken };
}

/** Each row's fold: a seeded shuffle dealt round-robin, so folds differ in size by one at most. */
export function foldAssignment(rows: number, folds: number, seed: number): Int32Array {
  const order = shuffledIndices(rows, seededRandom(seed));
  const assignment = new Int32Array(rows);
  order.forEach((row, position) => (assignment[row] = position % folds));
  return assignment;
}

/** Rows whose top class (raw, or adjusted by `parameters`) is the target. */
export function correctCount(data: LabelledScores, parameters: VectorScalingParameters | null): number {
  let correct = 0;
  for (let row = 0; row < data.targets.length; row++) {
    const scores = rowOf(data, row);
    const top = argmax(parameters ? applyVectorScaling(parameters, scores) : scores);
    if (top === data.targets[row]) correct++;
  }
  return correct;
}

/** The first index of the largest value (ties go to the lower class, as the tier sorts them). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

function rowOf(data: LabelledScores, row: number): Float64Array {
  return data.probabilities.subarray(row * data.classCount, (row + 1) * data.classCount);
}

function subset(data: LabelledScores, keep: (row: number) => boolean): LabelledScores {
  const kept: number[] = [];
  for (let row = 0; row < data.targets.length; row++) if (keep(row)) kept.push(row);
  const probabilities = new Float64Array(kept.length * data.classCount);
  kept.forEach((row, index) => probabilities.set(rowOf(data, row), index * data.classCount));
  return {
    classCount: data.classCount,
    probabilities,
    targets: Int32Array.from(kept, (row) => data.targets[row]!),
  };
}

import { seededRandom } from "@tessera/seeded-random";
import {
  defaultLogisticFit,
  fitLogisticRegression,
  logits,
  type LogisticFitOptions,
} from "./logistic-regression";
import { combinedMannWhitney, mannWhitneyStatistic, type MannWhitneyStatistic } from "./rank-statistics";
import { shuffledIndices, stackRows, type SampleMatrix } from "./sample-matrix";

export const DEFAULT_FOLDS = 5;

export interface DomainClassifierOptions {
  /** k of the cross-validation: every row is scored by a model that did not see it. */
  folds: number;
  seed: number;
  fit?: LogisticFitOptions;
}

export interface DomainClassifierResult {
  /**
   * Cross-validated ROC AUC of telling recent rows (positive) from reference rows: each fold's
   * AUC of its held-out rows under the model fitted without them, averaged over the folds.
   */
  auc: number;
  /**
   * One-sided p-value of the folds' Mann–Whitney statistics combined (combinedMannWhitney). Each
   * fold's scores come from a model of its own, so they are ranked within the fold only: logits of
   * different models pooled into one ranking would mix scales and distort both AUC and p.
   */
  pValue: number;
  z: number;
  folds: number;
}

/**
 * Fold of every row: each label's rows shuffled (seeded) and dealt out in turn, so every fold
 * holds both groups in their overall proportion.
 */
export function stratifiedFolds(labels: Uint8Array, folds: number, seed: number): Int32Array {
  const random = seededRandom(seed);
  const assignment = new Int32Array(labels.length);
  for (const label of [0, 1]) {
    const members = Array.from(labels.keys()).filter((row) => labels[row] === label);
    const order = shuffledIndices(members.length, random);
    order.forEach((position, rank) => (assignment[members[position]!] = rank % folds));
  }
  return assignment;
}

/**
 * The classifier two-sample test: logistic regression learns to tell recent embeddings from the
 * reference ones; if it does better than chance on rows it never saw, the distributions differ.
 * Features are standardised with each training fold's own mean and spread.
 */
export function domainClassifierTest(
  recent: SampleMatrix,
  reference: SampleMatrix,
  options: DomainClassifierOptions,
): DomainClassifierResult {
  const smaller = Math.min(recent.rows, reference.rows);
  if (!Number.isInteger(options.folds) || options.folds < 2 || options.folds > smaller) {
    throw new RangeError(`folds must be a whole number from 2 to ${smaller}, got ${options.folds}`);
  }
  const pooled = stackRows(recent, reference);
  const labels = new Uint8Array(pooled.rows);
  labels.fill(1, 0, recent.rows);
  const fold = stratifiedFolds(labels, options.folds, options.seed);
  const statistics: MannWhitneyStatistic[] = [];
  for (let held = 0; held < options.folds; held++) {
    const trainRows = rowsWhere(fold, (value) => value !== held);
    const testRows = rowsWhere(fold, (value) => value === held);
    const scale = standardisation(pooled, trainRows);
    const train = standardisedRows(pooled, trainRows, scale);
    const theta = fitLogisticRegression(
      train,
      Uint8Array.from(trainRows, (row) => labels[row]!),
      options.fit ?? defaultLogisticFit,
    );
    const heldScores = logits(theta, standardisedRows(pooled, testRows, scale));
    statistics.push(
      mannWhitneyStatistic(
        heldScores,
        Uint8Array.from(testRows, (row) => labels[row]!),
      ),
    );
  }
  const { auc, pValue, z } = combinedMannWhitney(statistics);
  return { auc, pValue, z, folds: options.folds };
}

function rowsWhere(fold: Int32Array, keep: (fold: number) => boolean): number[] {
  return Array.from(fold.keys()).filter((row) => keep(fold[row]!));
}

interface Standardisation {
  mean: Float64Array;
  spread: Float64Array;
}

function standardisation(samples: SampleMatrix, rows: readonly number[]): Standardisation {
  const { columns, data } = samples;
  const mean = new Float64Array(columns);
  const spread = new Float64Array(columns);
  for (const row of rows) for (let c = 0; c < columns; c++) mean[c]! += data[row * columns + c]!;
  for (let c = 0; c < columns; c++) mean[c]! /= rows.length;
  for (const row of rows) {
    for (let c = 0; c < columns; c++) spread[c]! += (data[row * columns + c]! - mean[c]!) ** 2;
  }
  // A constant column carries nothing; dividing by 1 keeps it at 0 instead of NaN.
  for (let c = 0; c < columns; c++) spread[c] = Math.sqrt(spread[c]! / rows.length) || 1;
  return { mean, spread };
}

function standardisedRows(
  samples: SampleMatrix,
  rows: readonly number[],
  scale: Standardisation,
): SampleMatrix {
  const { columns, data } = samples;
  const out = new Float64Array(rows.length * columns);
  rows.forEach((row, index) => {
    for (let c = 0; c < columns; c++) {
      out[index * columns + c] = (data[row * columns + c]! - scale.mean[c]!) / scale.spread[c]!;
    }
  });
  return { rows: rows.length, columns, data: out };
}

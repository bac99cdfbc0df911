import type { FeedbackAdjustment as AdjustmentRow } from "../../generated/prisma/client";
import type { AdjustedPredictions, LabelScore } from "../../inference/inference.types";
import { applyVectorScaling } from "../adjustments/vector-scaling";
import { VECTOR_SCALING, type FittedAdjustment } from "../adjustments/fit-adjustment";

/** FeedbackAdjustment.parameters: the fitted state, labels in the model's output order. */
export interface StoredAdjustmentParameters {
  labels: string[];
  scales: number[];
  biases: number[];
  /** The newest feedback the fit saw: a slower, older fit never replaces a newer one. */
  throughFeedbackAt: string;
}

/** What classify and Prediction need of a version's active adjustment. */
export interface ActiveAdjustment {
  method: string;
  improvement: number;
  labels: string[];
  /** [scales, biases] as vectorScaling takes them. */
  parameters: Float64Array;
}

export function storedParameters(
  fitted: FittedAdjustment,
  labels: string[],
  throughFeedbackAt: Date,
): StoredAdjustmentParameters {
  const classCount = labels.length;
  return {
    labels,
    scales: Array.from(fitted.parameters.subarray(0, classCount)),
    biases: Array.from(fitted.parameters.subarray(classCount)),
    throughFeedbackAt: throughFeedbackAt.toISOString(),
  };
}

/** The row's adjustment when it is active and readable; null otherwise. */
export function activeAdjustmentOf(row: AdjustmentRow | null): ActiveAdjustment | null {
  if (!row?.active || row.method !== VECTOR_SCALING) return null;
  const stored = row.parameters as unknown as Partial<StoredAdjustmentParameters>;
  const { labels, scales, biases } = stored;
  if (!Array.isArray(labels) || !Array.isArray(scales) || !Array.isArray(biases)) return null;
  if (scales.length !== labels.length || biases.length !== labels.length) return null;
  return {
    method: row.method,
    improvement: row.accuracyAfter - row.accuracyBefore,
    labels,
    parameters: Float64Array.from([...scales, ...biases]),
  };
}

/**
 * The adjusted top `count` of a full probability vector (labels and scores in output order), or
 * null when the adjustment was fitted on other labels (a vector cut short at the tier's top-k
 * bound, say): scores are never corrected by parameters of another output.
 */
export function adjustedPredictions(
  adjustment: ActiveAdjustment | null,
  labels: readonly string[],
  scores: ArrayLike<number>,
  count: number,
): AdjustedPredictions | null {
  if (!adjustment || !sameLabels(adjustment.labels, labels)) return null;
  const adjusted = applyVectorScaling(adjustment.parameters, scores);
  return {
    predictions: topScores(labels, adjusted, count),
    method: adjustment.method,
    improvement: adjustment.improvement,
  };
}

/** The `count` highest scores, highest first (ties: lower index first, as the tier orders them). */
export function topScores(labels: readonly string[], scores: ArrayLike<number>, count: number): LabelScore[] {
  return Array.from(labels, (label, index) => ({ label, score: scores[index]!, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, count);
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, index) => label === b[index]);
}

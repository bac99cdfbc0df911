import { argmax } from "../adjustments/fit-adjustment";

/** Labels a BAD_USER_INPUT message names before "… and N more". */
const LABELS_NAMED = 50;

/** `"a", "b", … and N more`: at most 50 labels, so a message stays readable for 1,000 classes. */
export function namedLabels(labels: readonly string[]): string {
  const named = labels
    .slice(0, LABELS_NAMED)
    .map((label) => `"${label}"`)
    .join(", ");
  return labels.length > LABELS_NAMED ? `${named} … and ${labels.length - LABELS_NAMED} more` : named;
}

/**
 * The labels a correction may name: the logged vector's, or the version's when it has more — a
 * model of more classes than the tier's top-k bound logs only its top ones.
 */
export function correctableLabels(logged: readonly string[], versionLabels: readonly string[]): string[] {
  return versionLabels.length > logged.length ? [...versionLabels] : [...logged];
}

export interface ScoredPrediction {
  labels: readonly string[];
  scores: readonly number[];
}

export interface Verdict {
  correctLabel: string;
  isCorrect: boolean;
}

/**
 * What feedback naming `label` says, the same for recordFeedback and submitLabels: a label of the
 * model (`labels`, see correctableLabels) is the correction, right when it is the top prediction.
 * Null for a label the model does not have: it is never stored as a correctLabel, since the
 * adjustment fits and retraining's corrections speak the model's labels. recordFeedback refuses
 * it; submitLabels takes it when it is a class of the dataset (the item joins the dataset under it)
 * and records the prediction as wrong, without a correctLabel.
 */
export function verdictOf(
  prediction: ScoredPrediction,
  labels: readonly string[],
  label: string,
): Verdict | null {
  if (!labels.includes(label)) return null;
  return { correctLabel: label, isCorrect: label === topLabel(prediction) };
}

export function topLabel(prediction: ScoredPrediction): string | null {
  return prediction.labels[argmax(prediction.scores)] ?? null;
}

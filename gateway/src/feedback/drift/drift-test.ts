import { DEFAULT_FOLDS, domainClassifierTest } from "./domain-classifier";
import { DEFAULT_MMD_PERMUTATIONS, mmdTest } from "./rbf-mmd";
import type { SampleMatrix } from "./sample-matrix";

export type DriftMethodName = "MMD" | "DOMAIN_CLASSIFIER";

export interface DriftSettings {
  method: DriftMethodName;
  /** Significance level: drift needs p below it. */
  pValue: number;
  /**
   * The smallest effect that counts, since with large windows any difference is significant.
   * MMD: the MMD² estimate itself (RBF kernel, median-heuristic bandwidth, so it is scale-free
   * and at most 2). DOMAIN_CLASSIFIER: AUC − 0.5 (0 … 0.5).
   */
  minEffect: number;
  seed: number;
  /** MMD's permutations (DEFAULT_MMD_PERMUTATIONS). */
  permutations?: number;
  /** The classifier's cross-validation folds (DEFAULT_FOLDS). */
  folds?: number;
}

export interface DriftMeasurement {
  method: DriftMethodName;
  /** MMD²; the cross-validated AUC for the classifier. */
  statistic: number;
  pValue: number;
  effect: number;
  drifted: boolean;
  recent: number;
  reference: number;
  /** Bandwidth and permutations (MMD) or folds and z (classifier). */
  details: Record<string, number>;
}

/** Runs the chosen two-sample test on recent vs reference embeddings and applies both thresholds. */
export function testForDrift(
  recent: SampleMatrix,
  reference: SampleMatrix,
  settings: DriftSettings,
): DriftMeasurement {
  const sizes = { recent: recent.rows, reference: reference.rows };
  if (settings.method === "MMD") {
    const result = mmdTest(recent, reference, {
      permutations: settings.permutations ?? DEFAULT_MMD_PERMUTATIONS,
      seed: settings.seed,
    });
    return decided(settings, result.statistic, result.pValue, result.statistic, sizes, {
      bandwidth: result.bandwidth,
      permutations: result.permutations,
    });
  }
  const folds = Math.min(settings.folds ?? DEFAULT_FOLDS, recent.rows, reference.rows);
  const result = domainClassifierTest(recent, reference, { folds, seed: settings.seed });
  return decided(settings, result.auc, result.pValue, result.auc - 0.5, sizes, {
    folds: result.folds,
    z: result.z,
  });
}

function decided(
  settings: DriftSettings,
  statistic: number,
  pValue: number,
  effect: number,
  sizes: { recent: number; reference: number },
  details: Record<string, number>,
): DriftMeasurement {
  const drifted = pValue < settings.pValue && effect >= settings.minEffect;
  return { method: settings.method, statistic, pValue, effect, drifted, ...sizes, details };
}

/**
 * The measurement in words, both thresholds with the side each value fell on:
 * "drift MMD² 0.031 (p 0.002 < 0.01, effect 0.031 ≥ 0.01)", "no drift: domain classifier AUC
 * 0.52 (p 0.31 ≥ 0.01, effect 0.02 < 0.05)".
 */
export function describeDrift(measurement: DriftMeasurement, settings: DriftSettings): string {
  const name =
    measurement.method === "MMD"
      ? `MMD² ${formatStatistic(measurement.statistic)}`
      : `domain classifier AUC ${formatStatistic(measurement.statistic)}`;
  const significant = measurement.pValue < settings.pValue;
  const large = measurement.effect >= settings.minEffect;
  const p = `p ${formatStatistic(measurement.pValue)} ${significant ? "<" : "≥"} ${settings.pValue}`;
  const effect = `effect ${formatStatistic(measurement.effect)} ${large ? "≥" : "<"} ${settings.minEffect}`;
  return `${measurement.drifted ? "drift" : "no drift:"} ${name} (${p}, ${effect})`;
}

/** Two significant digits, never scientific notation for values a person reads. */
export function formatStatistic(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  if (Math.abs(value) < 1e-4) return value > 0 ? "< 0.0001" : "≈ 0";
  return String(Number(value.toPrecision(2)));
}

import type { Finding, QualityFindingKind, Severity } from "./quality-input";

/** What one finding of each severity can cost at most. */
export const severityWeights: Record<Severity, number> = { ERROR: 20, WARNING: 8, INFO: 2 };

/** A finding touching this share of the dataset (or more) costs its full weight. */
const fullReach = 0.25;

/** What one finding took off the score, and the arithmetic in words. */
export interface QualityDeduction {
  kind: QualityFindingKind;
  points: number;
  reason: string;
}

/**
 * weight(severity) × (0.5 + 0.5 × min(1, affectedFraction / 0.25)), to two decimals. Any finding
 * costs at least half its weight (a problem exists), the other half grows with the share of the
 * dataset it touches, so three duplicates among 5,000 images cost less than a thousand would.
 */
export function deductionOf(finding: Finding): QualityDeduction {
  const weight = severityWeights[finding.severity];
  const share = finding.details.affectedFraction;
  const reach = Math.min(1, share / fullReach);
  const points = Math.round(weight * (0.5 + 0.5 * reach) * 100) / 100;
  const touched = `${Math.round(share * 1000) / 10} %`;
  return {
    kind: finding.kind,
    points,
    reason:
      `${finding.severity} (weight ${weight}) touching ${touched} of the dataset: ` +
      `${weight} × (0.5 + 0.5 × ${reach === 1 ? `min(1, ${touched} / 25 %) = 1` : `${touched} / 25 %`}) = ${points}`,
  };
}

/** max(0, 100 − Σ points), to one decimal: a clean dataset (or one whose findings are all dismissed) scores 100. */
export function qualityScore(deductions: readonly QualityDeduction[]): number {
  const penalty = deductions.reduce((sum, deduction) => sum + deduction.points, 0);
  return Math.max(0, Math.round((100 - penalty) * 10) / 10);
}

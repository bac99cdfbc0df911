import type { Finding, Severity } from "./quality-input";

/** What one finding of each severity can cost at most. */
export const severityWeights: Record<Severity, number> = { ERROR: 20, WARNING: 8, INFO: 2 };

/** A finding touching this share of the dataset (or more) costs its full weight. */
const fullReach = 0.25;

/**
 * score = max(0, 100 − Σ weight(severity) × (0.5 + 0.5 × min(1, affectedFraction / 0.25)))
 * rounded to one decimal. Any finding costs at least half its weight (a problem exists), the
 * other half grows with the share of the dataset it touches, so three duplicates among 5,000
 * images cost less than a thousand would. A clean dataset scores 100.
 */
export function qualityScore(findings: readonly Finding[]): number {
  const penalty = findings.reduce((sum, finding) => {
    const reach = Math.min(1, finding.details.affectedFraction / fullReach);
    return sum + severityWeights[finding.severity] * (0.5 + 0.5 * reach);
  }, 0);
  return Math.max(0, Math.round((100 - penalty) * 10) / 10);
}

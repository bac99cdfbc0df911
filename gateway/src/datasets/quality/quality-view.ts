import type { ModelVersion } from "../../models/models.types";
import { sortFindings } from "./analyze-quality";
import { deductionOf, qualityScore, type QualityDeduction } from "./quality-score";
import type { Finding, QualityFindingKind } from "./quality-input";

/** A stored dismissal as the report shows it. */
export interface DismissalView {
  reason: string | null;
  dismissedAt: Date;
  dismissedById: string;
}

export interface FindingView extends Finding {
  dismissed: boolean;
  dismissal: DismissalView | null;
}

/** DatasetVersion.quality as a client sees it: the stored analysis, sizes, dismissals and the score they leave. */
export interface QualityReportView {
  score: number;
  deductions: QualityDeduction[];
  findings: FindingView[];
  computedAt: Date;
  usedEmbeddings: boolean;
  /** Key of the space whose neighbours the label check used. */
  embeddingSpace: string | null;
  baseModelVersion: ModelVersion | null;
  notes: string[];
}

export interface ReportParts {
  findings: readonly Finding[];
  computedAt: Date;
  usedEmbeddings: boolean;
  embeddingSpace: string | null;
  baseModelVersion: ModelVersion | null;
  notes: string[];
}

/**
 * Marks dismissed findings and scores what is left: a dismissed finding stays listed (so it can
 * be restored) but deducts nothing.
 */
export function reportView(
  parts: ReportParts,
  dismissals: ReadonlyMap<QualityFindingKind, DismissalView>,
): QualityReportView {
  const findings = sortFindings([...parts.findings]).map((finding) => {
    const dismissal = dismissals.get(finding.kind) ?? null;
    return { ...finding, dismissed: dismissal !== null, dismissal };
  });
  const deductions = findings.filter((finding) => !finding.dismissed).map(deductionOf);
  return { ...parts, findings, deductions, score: qualityScore(deductions) };
}

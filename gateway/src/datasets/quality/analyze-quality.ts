import { classImbalance, smallClasses } from "./class-checks";
import { exactDuplicates, nearDuplicates } from "./duplicate-checks";
import { blurry, exposure, lowResolution, unreadableFiles } from "./image-checks";
import { suspectedLabelErrors } from "./label-checks";
import { qualityScore } from "./quality-score";
import { qualityFindingKinds, severities, type Finding, type QualityInput } from "./quality-input";

export interface QualityAnalysis {
  score: number;
  /** Most severe first, then in the order of qualityFindingKinds. */
  findings: Finding[];
  usedEmbeddings: boolean;
}

/** Every check over one version's samples; pure, so tests feed it measurements directly. */
export function analyzeQuality(input: QualityInput): QualityAnalysis {
  const { samples, skipped, neighbours } = input;
  const findings = [
    ...classImbalance(samples),
    ...smallClasses(samples),
    ...(neighbours ? suspectedLabelErrors(samples, neighbours) : []),
    ...exactDuplicates(samples),
    ...nearDuplicates(samples),
    ...unreadableFiles(skipped, samples.length),
    ...lowResolution(samples),
    ...blurry(samples),
    ...exposure(samples),
  ].sort(
    (a, b) =>
      severities.indexOf(a.severity) - severities.indexOf(b.severity) ||
      qualityFindingKinds.indexOf(a.kind) - qualityFindingKinds.indexOf(b.kind),
  );
  return { score: qualityScore(findings), findings, usedEmbeddings: neighbours !== null };
}

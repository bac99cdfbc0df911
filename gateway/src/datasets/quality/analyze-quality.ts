import { blurry } from "./blur-checks";
import { classImbalance, smallClasses } from "./class-checks";
import { exactDuplicates } from "./duplicate-checks";
import { exposure } from "./exposure-checks";
import { lowResolution, unreadableFiles } from "./image-checks";
import { suspectedLabelErrors } from "./label-checks";
import { nearDuplicates } from "./near-duplicate-checks";
import { deductionOf, qualityScore, type QualityDeduction } from "./quality-score";
import { qualityThresholds as limits } from "./quality-thresholds";
import {
  plural,
  qualityFindingKinds,
  severities,
  type BaseModelInput,
  type Finding,
  type QualityInput,
} from "./quality-input";

export interface QualityAnalysis {
  /** The score with nothing dismissed. */
  score: number;
  deductions: QualityDeduction[];
  /** Most severe first, then in the order of qualityFindingKinds. */
  findings: Finding[];
  usedEmbeddings: boolean;
  /** What was not judged, and why. */
  notes: string[];
}

/** Every check over one version's samples; pure, so tests feed it measurements directly. */
export function analyzeQuality(input: QualityInput): QualityAnalysis {
  const { samples, skipped, embeddings } = input;
  const blur = blurry(samples, input.nativeSharpness);
  const labels = embeddings
    ? suspectedLabelErrors(samples, embeddings.neighbours)
    : { findings: [], overlaps: [] };
  const findings = sortFindings([
    ...classImbalance(samples),
    ...smallClasses(samples),
    ...labels.findings,
    ...exactDuplicates(samples),
    ...nearDuplicates(samples, embeddings),
    ...unreadableFiles(skipped, samples.length),
    ...(input.baseModel ? lowResolution(samples, input.baseModel) : []),
    ...blur.findings,
    ...exposure(samples),
  ]);
  const notes = [
    input.baseModel ? sizesJudgedAgainst(input.baseModel) : sizesNotJudged,
    ...(embeddings
      ? []
      : [
          "No embeddings yet: suspected label errors were not looked for, and near-duplicates were not confirmed by embeddings (only near-identical hashes with matching exposure count).",
        ]),
    ...labels.overlaps.map(
      ({ classes: [a, b], samples: count }) =>
        `Classes "${a}" and "${b}" overlap in the embedding space (${plural(count, "sample")} sit among the other class): ` +
        `mix-ups between them were not reported as label errors.`,
    ),
    ...(blur.unjudged
      ? [
          `Sharpness was not judged for ${plural(blur.unjudged, "image")} under ${limits.nativeSharpnessBelowSide} px: ` +
            `at most ${limits.nativeSharpnessMaxImages} small images per report are measured at their own size, and unreadable ones are left out.`,
        ]
      : []),
  ];
  const deductions = findings.map(deductionOf);
  return {
    score: qualityScore(deductions),
    deductions,
    findings,
    usedEmbeddings: embeddings !== null,
    notes,
  };
}

export const sizesJudgedAgainst = (model: BaseModelInput) =>
  `Sizes were judged against the ${model.width}×${model.height} input of base model ${model.name} (${model.source}).`;

export const sizesNotJudged =
  "Sizes were not judged: no base model was chosen. Pass baseModelVersionId to judge them against the input of the model you will train on.";

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      severities.indexOf(a.severity) - severities.indexOf(b.severity) ||
      qualityFindingKinds.indexOf(a.kind) - qualityFindingKinds.indexOf(b.kind),
  );
}

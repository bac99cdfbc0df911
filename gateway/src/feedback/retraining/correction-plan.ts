import { AppError } from "../../errors";
import { checkClassName } from "../../datasets/edits/class-names";

/** A correction as a run reads it: the label it gives and the image it is about. */
export interface CorrectionCandidate {
  feedbackId: string;
  label: string;
  /** The dataset sample the prediction classified, if any. */
  sampleId: string | null;
  /** The prediction's image: its kept image, else its sample's. */
  sha256: string | null;
}

/** A correction a run left out for good, and why; the run's decision lists them. */
export interface SkippedCorrection {
  feedbackId: string;
  reason: string;
}

/**
 * Corrections whose label can be a class (trimmed), and the rest with the reason: a label with
 * no class name in it would refuse the whole edit, and so every run after, if it were kept.
 */
export function screenLabels(candidates: readonly CorrectionCandidate[]): {
  kept: CorrectionCandidate[];
  skipped: SkippedCorrection[];
} {
  const kept: CorrectionCandidate[] = [];
  const skipped: SkippedCorrection[] = [];
  for (const candidate of candidates) {
    try {
      kept.push({ ...candidate, label: checkClassName(candidate.label, "correctLabel") });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      skipped.push({ feedbackId: candidate.feedbackId, reason: error.message });
    }
  }
  return { kept, skipped };
}

/** A sample of the base version: labelled (`label`) or in its unlabeled pool (null). */
export interface BaseMember {
  sampleId: string;
  sha256: string;
  label: string | null;
}

export interface CorrectionPlan {
  /** Samples of the base that get a (new) class: relabelled, or taken from the pool. */
  labels: Array<{ sampleId: string; label: string }>;
  /** Images new to the version that join it as samples of a class. */
  additions: Array<{ sha256: string; label: string }>;
  /** Every correction the plan took in, to be marked used by the version. */
  feedbackIds: string[];
  /** Corrections that named the label their sample already had. */
  unchanged: number;
}

/**
 * What the corrections (oldest first) change in the base version. A correction about a sample of
 * the base relabels it; one whose image is byte-identical to a sample of the base relabels that
 * sample (the same content is never added twice); any other image is added as a new sample. When
 * several corrections reach the same sample or image, the latest one wins. Corrections without an
 * image are not in the plan at all.
 */
export function planCorrections(
  candidates: readonly CorrectionCandidate[],
  members: readonly BaseMember[],
): CorrectionPlan {
  const memberOf = memberLookup(members);
  const targets = new Map<string, { member: BaseMember | null; sha256: string; label: string }>();
  const feedbackIds: string[] = [];
  for (const candidate of candidates) {
    const member = memberOf(candidate);
    const sha256 = member?.sha256 ?? candidate.sha256;
    if (!sha256) continue;
    feedbackIds.push(candidate.feedbackId);
    const key = member ? `sample:${member.sampleId}` : `image:${sha256}`;
    targets.set(key, { member: member ?? null, sha256, label: candidate.label });
  }
  const plan: CorrectionPlan = { labels: [], additions: [], feedbackIds, unchanged: 0 };
  for (const { member, sha256, label } of targets.values()) {
    if (!member) plan.additions.push({ sha256, label });
    else if (member.label === label) plan.unchanged += 1;
    else plan.labels.push({ sampleId: member.sampleId, label });
  }
  return plan;
}

/**
 * The corrections left once the images the dataset checks refused (sha256 → why) are out: only a
 * correction that would add its image is affected; one that relabels a base sample needs none.
 */
export function withoutRefusedImages(
  candidates: readonly CorrectionCandidate[],
  members: readonly BaseMember[],
  refused: ReadonlyMap<string, string>,
): { kept: CorrectionCandidate[]; skipped: SkippedCorrection[] } {
  const memberOf = memberLookup(members);
  const kept: CorrectionCandidate[] = [];
  const skipped: SkippedCorrection[] = [];
  for (const candidate of candidates) {
    const why = !memberOf(candidate) && candidate.sha256 ? refused.get(candidate.sha256) : undefined;
    if (why) skipped.push({ feedbackId: candidate.feedbackId, reason: why });
    else kept.push(candidate);
  }
  return { kept, skipped };
}

/** The base sample a correction is about: by its sample id, else by identical content. */
function memberLookup(members: readonly BaseMember[]) {
  const byId = new Map(members.map((member) => [member.sampleId, member]));
  const bySha = new Map<string, BaseMember>();
  for (const member of members) if (!bySha.has(member.sha256)) bySha.set(member.sha256, member);
  return (candidate: CorrectionCandidate): BaseMember | undefined =>
    (candidate.sampleId ? byId.get(candidate.sampleId) : undefined) ??
    (candidate.sha256 ? bySha.get(candidate.sha256) : undefined);
}

/** Whether the plan changes anything (else the run trains on the base version itself). */
export const planChanges = (plan: CorrectionPlan) => plan.labels.length > 0 || plan.additions.length > 0;

/** The new version's message: what the run changed and from how many corrections. */
export function planMessage(policyName: string | null, plan: CorrectionPlan): string {
  const parts = [`${plan.labels.length} relabelled`, `${plan.additions.length} added`];
  if (plan.unchanged > 0) parts.push(`${plan.unchanged} confirmed`);
  const from = `${plan.feedbackIds.length} correction${plan.feedbackIds.length === 1 ? "" : "s"}`;
  const policy = policyName ? `Retraining policy "${policyName}"` : "Retraining policy";
  return `${policy}: ${parts.join(", ")} from ${from}`;
}

import { QualityFindingKind } from "../gql/graphql";
import { duplicateGroups, suggestedLabels, type FindingLike } from "./finding-notes";
import type { VersionEdit } from "./version-edits";

export interface FindingWithSamples extends FindingLike {
  sampleIds: readonly string[];
}

/** One fix that applies to every sample of a finding, ready to confirm. */
export interface FindingFix {
  /** The button's words. */
  label: string;
  edit: VersionEdit;
}

export interface FindingRemedies {
  fixes: FindingFix[];
  /** Whether "relabel all as …" makes sense (it does not for duplicates or an imbalance). */
  relabelAll: boolean;
}

const count = (value: number, one: string, many = `${one}s`) =>
  `${value.toLocaleString()} ${value === 1 ? one : many}`;

/**
 * What "apply to all in this finding" can do for each kind of finding. Duplicates lose their extra
 * copies (the first of each group stays: deleting every copy would lose the image), suspected
 * mislabels take the label their neighbours carry; images that are too small, blurred or badly
 * exposed can go. An imbalance is fixed by adding data, so it offers nothing here.
 */
export function findingRemedies(finding: FindingWithSamples): FindingRemedies {
  const removeAll: FindingFix = {
    label:
      finding.sampleIds.length === 1
        ? "Remove the sample"
        : `Remove all ${count(finding.sampleIds.length, "sample")}`,
    edit: { kind: "delete", sampleIds: finding.sampleIds },
  };
  switch (finding.kind) {
    case QualityFindingKind.UnreadableFiles:
    case QualityFindingKind.ClassImbalance:
      return { fixes: [], relabelAll: false };
    case QualityFindingKind.ExactDuplicates:
    case QualityFindingKind.NearDuplicates: {
      const extra = duplicateGroups(finding).flatMap((group) => group.slice(1));
      const fixes =
        extra.length > 0
          ? [
              {
                label: `Remove ${count(extra.length, "extra copy", "extra copies")} (keep the first of each group)`,
                edit: { kind: "delete", sampleIds: extra } as const,
              },
            ]
          : [];
      return { fixes, relabelAll: false };
    }
    case QualityFindingKind.SuspectedLabelErrors: {
      const changes = [...suggestedLabels(finding)].map(([sampleId, label]) => ({ sampleId, label }));
      const fixes: FindingFix[] =
        changes.length > 0
          ? [
              {
                label: `Relabel ${changes.length === 1 ? "it" : `all ${count(changes.length, "sample")}`} as suggested`,
                edit: { kind: "relabel", changes },
              },
            ]
          : [];
      return { fixes: [...fixes, removeAll], relabelAll: true };
    }
    default:
      return {
        fixes: finding.sampleIds.length > 0 ? [removeAll] : [],
        relabelAll: finding.sampleIds.length > 0,
      };
  }
}

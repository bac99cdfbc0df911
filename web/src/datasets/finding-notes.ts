import { QualityFindingKind } from "../gql/graphql";

export interface FindingLike {
  kind: QualityFindingKind;
  details: unknown;
}

type Record_ = Record<string, unknown>;

const isRecord = (value: unknown): value is Record_ =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const number = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;

function detailsOf(finding: FindingLike): Record_ {
  return isRecord(finding.details) ? finding.details : {};
}

/**
 * What the report's measurements say about each affected sample, shown under its thumbnail:
 * the label its neighbours suggest, its duplicate group, its size. Details the gateway did not
 * send are simply not noted.
 */
export function sampleNotes(finding: FindingLike): Map<string, string> {
  const details = detailsOf(finding);
  const notes = new Map<string, string>();
  switch (finding.kind) {
    case QualityFindingKind.SuspectedLabelErrors:
      for (const entry of list(details.samples)) {
        if (!isRecord(entry)) continue;
        const id = text(entry.id);
        const suggested = text(entry.suggestedLabel);
        if (!id || !suggested) continue;
        const votes = text(entry.votes);
        notes.set(id, `Looks like “${suggested}”${votes ? ` (${votes} neighbours)` : ""}`);
      }
      break;
    case QualityFindingKind.ExactDuplicates:
    case QualityFindingKind.NearDuplicates:
      list(details.groups).forEach((group, index) => {
        for (const id of list(group)) if (typeof id === "string") notes.set(id, `Group ${index + 1}`);
      });
      break;
    case QualityFindingKind.LowResolution:
      for (const entry of list(details.sizes)) {
        if (!isRecord(entry)) continue;
        const id = text(entry.id);
        const width = number(entry.width);
        const height = number(entry.height);
        if (id && width !== null && height !== null) notes.set(id, `${width} × ${height} px`);
      }
      break;
    default:
      break;
  }
  return notes;
}

/** The files an upload left out, for UNREADABLE_FILES (which has no samples to show). */
export function unreadableFiles(finding: FindingLike): Array<{ path: string; reason: string }> {
  if (finding.kind !== QualityFindingKind.UnreadableFiles) return [];
  return list(detailsOf(finding).files).flatMap((entry) => {
    if (!isRecord(entry)) return [];
    const path = text(entry.path);
    return path ? [{ path, reason: text(entry.reason) ?? "" }] : [];
  });
}

/** Share of the version the finding touches, 0–1, when the report measured it. */
export function affectedFraction(finding: FindingLike): number | null {
  return number(detailsOf(finding).affectedFraction);
}

/** The groups of a duplicates finding, each two or more sample ids, in the report's order. */
export function duplicateGroups(finding: FindingLike): string[][] {
  if (
    finding.kind !== QualityFindingKind.ExactDuplicates &&
    finding.kind !== QualityFindingKind.NearDuplicates
  ) {
    return [];
  }
  return list(detailsOf(finding).groups)
    .map((group) => list(group).filter((id): id is string => typeof id === "string"))
    .filter((group) => group.length > 1);
}

/** The label the neighbours of each suspected mislabel carry, by sample id. */
export function suggestedLabels(finding: FindingLike): Map<string, string> {
  const suggested = new Map<string, string>();
  if (finding.kind !== QualityFindingKind.SuspectedLabelErrors) return suggested;
  for (const entry of list(detailsOf(finding).samples)) {
    if (!isRecord(entry)) continue;
    const id = text(entry.id);
    const label = text(entry.suggestedLabel);
    if (id && label) suggested.set(id, label);
  }
  return suggested;
}

/**
 * The edits a dataset version takes from the dashboard. Each is one call of the gateway's edit
 * mutations and makes a new version; the version edited never changes.
 */
export type VersionEdit =
  | { kind: "relabel"; changes: ReadonlyArray<{ sampleId: string; label: string }> }
  | { kind: "delete"; sampleIds: readonly string[] }
  | { kind: "merge"; classes: readonly string[]; into: string }
  | { kind: "rename"; from: string; to: string };

const samples = (count: number) => `${count.toLocaleString()} sample${count === 1 ? "" : "s"}`;

/** The one label every change gives, or null when they differ (relabelled as suggested). */
function commonLabel(changes: ReadonlyArray<{ label: string }>): string | null {
  const labels = new Set(changes.map((change) => change.label));
  return labels.size === 1 ? [...labels][0]! : null;
}

/** What the edit will do, in the words of a confirmation ("Relabel 12 samples as dog?"). */
export function editQuestion(edit: VersionEdit): string {
  switch (edit.kind) {
    case "relabel": {
      const label = commonLabel(edit.changes);
      return label === null
        ? `Relabel ${samples(edit.changes.length)}, each as its suggested class?`
        : `Relabel ${samples(edit.changes.length)} as ${label}?`;
    }
    case "delete":
      return `Delete ${samples(edit.sampleIds.length)} from the new version?`;
    case "merge":
      return `Merge ${edit.classes.join(", ")} into ${edit.into}?`;
    case "rename":
      return `Rename ${edit.from} to ${edit.to}?`;
  }
}

/** The new version's message the form starts with ("Relabelled 12 samples as dog"); the user may change it. */
export function defaultEditMessage(edit: VersionEdit): string {
  switch (edit.kind) {
    case "relabel": {
      const label = commonLabel(edit.changes);
      return label === null
        ? `Relabelled ${samples(edit.changes.length)} as suggested`
        : `Relabelled ${samples(edit.changes.length)} as ${label}`;
    }
    case "delete":
      return `Deleted ${samples(edit.sampleIds.length)}`;
    case "merge":
      return `Merged ${edit.classes.join(", ")} into ${edit.into}`;
    case "rename":
      return `Renamed ${edit.from} to ${edit.to}`;
  }
}

/** "Version 4 created: 12 samples relabelled", said on the new version's page. */
export function createdNotice(number: number, edit: VersionEdit): string {
  const what = (() => {
    switch (edit.kind) {
      case "relabel":
        return `${samples(edit.changes.length)} relabelled`;
      case "delete":
        return `${samples(edit.sampleIds.length)} deleted`;
      case "merge":
        return `${edit.classes.length} classes merged into ${edit.into}`;
      case "rename":
        return `${edit.from} renamed to ${edit.to}`;
    }
  })();
  return `Version ${number} created: ${what}`;
}

/**
 * Changes that give each sample `label`, leaving out those already in it (the gateway would make a
 * version identical to its base for them).
 */
export function relabelChanges(
  chosen: ReadonlyArray<{ sampleId: string; class: { name: string } | null }>,
  label: string,
): Array<{ sampleId: string; label: string }> {
  return chosen
    .filter((sample) => sample.class?.name !== label)
    .map((sample) => ({ sampleId: sample.sampleId, label }));
}

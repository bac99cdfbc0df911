export interface SampleDiff {
  added: number;
  removed: number;
  relabelled: number;
  unchanged: number;
}

/** "+12 added · −3 removed · 5 relabelled · 480 unchanged", leaving out the kinds of change that did not happen. */
export function formatDiff(diff: SampleDiff): string {
  const parts: string[] = [];
  if (diff.added > 0) parts.push(`+${diff.added.toLocaleString()} added`);
  if (diff.removed > 0) parts.push(`−${diff.removed.toLocaleString()} removed`);
  if (diff.relabelled > 0) parts.push(`${diff.relabelled.toLocaleString()} relabelled`);
  if (parts.length === 0) return diff.unchanged > 0 ? "No changes" : "Both empty";
  parts.push(`${diff.unchanged.toLocaleString()} unchanged`);
  return parts.join(" · ");
}

/** One class in a content diff: what it held in the older version and the newer, and what moved. */
export interface ClassDiff {
  name: string;
  /** Samples in the class now that were not in it before: new images and images relabelled into it. */
  added: number;
  /** Samples in the class before that are not in it now: removed images and images relabelled out of it. */
  removed: number;
  before: number;
  after: number;
}

export interface ClassChange extends ClassDiff {
  change: "added" | "removed" | "grew" | "shrank" | "same";
}

/**
 * Class by class, what a version holds against an older one: classes that appeared or
 * disappeared first, then those that changed most, then the unchanged, each by name.
 */
export function classChanges(classes: readonly ClassDiff[]): ClassChange[] {
  const changes = classes.map((entry): ClassChange => {
    const { before: was, after: now } = entry;
    const change =
      was === 0 ? "added" : now === 0 ? "removed" : now > was ? "grew" : now < was ? "shrank" : "same";
    return { ...entry, change };
  });
  const rank = (entry: ClassChange) =>
    entry.change === "added" || entry.change === "removed" ? 0 : entry.change === "same" ? 2 : 1;
  const moved = (entry: ClassChange) => entry.added + entry.removed;
  return changes.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      Math.abs(b.after - b.before) - Math.abs(a.after - a.before) ||
      moved(b) - moved(a) ||
      a.name.localeCompare(b.name),
  );
}

/** The per-class table's sums, its last row. */
export function classTotals(classes: readonly ClassDiff[]): Omit<ClassDiff, "name"> {
  return classes.reduce(
    (sum, entry) => ({
      added: sum.added + entry.added,
      removed: sum.removed + entry.removed,
      before: sum.before + entry.before,
      after: sum.after + entry.after,
    }),
    { added: 0, removed: 0, before: 0, after: 0 },
  );
}

/** "+4", "−2" or "0", as a count changed. */
export function formatCountChange(before: number, after: number): string {
  const delta = after - before;
  if (delta > 0) return `+${delta.toLocaleString()}`;
  if (delta < 0) return `−${(-delta).toLocaleString()}`;
  return "0";
}

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

export interface ClassSize {
  name: string;
  count: number;
}

export interface ClassChange {
  name: string;
  before: number;
  after: number;
  change: "added" | "removed" | "grew" | "shrank" | "same";
}

/**
 * Class by class, what a version holds against an older one: classes that appeared or
 * disappeared first, then those that changed most, then the unchanged, each by name.
 */
export function classChanges(before: readonly ClassSize[], after: readonly ClassSize[]): ClassChange[] {
  const counts = new Map<string, { before: number; after: number }>();
  for (const { name, count } of before) counts.set(name, { before: count, after: 0 });
  for (const { name, count } of after)
    counts.set(name, { before: counts.get(name)?.before ?? 0, after: count });
  const changes = [...counts].map(([name, { before: was, after: now }]): ClassChange => {
    const change =
      was === 0 ? "added" : now === 0 ? "removed" : now > was ? "grew" : now < was ? "shrank" : "same";
    return { name, before: was, after: now, change };
  });
  const rank = (entry: ClassChange) =>
    entry.change === "added" || entry.change === "removed" ? 0 : entry.change === "same" ? 2 : 1;
  return changes.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      Math.abs(b.after - b.before) - Math.abs(a.after - a.before) ||
      a.name.localeCompare(b.name),
  );
}

/** "+4", "−2" or "0", as a count changed. */
export function formatCountChange(before: number, after: number): string {
  const delta = after - before;
  if (delta > 0) return `+${delta.toLocaleString()}`;
  if (delta < 0) return `−${(-delta).toLocaleString()}`;
  return "0";
}

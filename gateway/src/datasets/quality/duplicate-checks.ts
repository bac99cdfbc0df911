import { fraction, plural, type Finding, type QualitySample } from "./quality-input";

/** Samples with the same bytes (sha256), in groups of two or more. */
export function exactDuplicates(samples: readonly QualitySample[]): Finding[] {
  const bySha = new Map<string, QualitySample[]>();
  for (const sample of samples) {
    const group = bySha.get(sample.sha256);
    if (group) group.push(sample);
    else bySha.set(sample.sha256, [sample]);
  }
  const groups = [...bySha.values()].filter((group) => group.length > 1);
  if (groups.length === 0) return [];
  const extra = groups.reduce((sum, group) => sum + group.length - 1, 0);
  // The same picture under two labels is a labelling mistake, not only wasted data.
  const conflicting = groups.filter((group) => new Set(group.map((s) => s.classId)).size > 1);
  const conflictNote = conflicting.length
    ? `; ${plural(conflicting.length, "group")} carry different labels: keep the copy with the right one`
    : "";
  const first = groups[0]!;
  return [
    {
      kind: "EXACT_DUPLICATES",
      severity: conflicting.length ? "ERROR" : "WARNING",
      sampleIds: groups.flat().map((s) => s.id),
      recommendation:
        `Remove ${plural(extra, "exact duplicate")} (keep one of each group) so they don't leak ` +
        `between train and validation${conflictNote}`,
      explanation:
        `${plural(groups.length, "group")} of files with byte-identical content (the same sha256), ` +
        `e.g. ${first.map((s) => s.originalPath).join(" and ")}` +
        (conflicting.length
          ? `; an ERROR because ${plural(conflicting.length, "group")} carry more than one label.`
          : "."),
      details: {
        affectedFraction: fraction(extra, samples.length),
        groups: groups.map((group) => group.map((s) => s.id)),
        conflictingLabels: conflicting.length,
      },
    },
  ];
}

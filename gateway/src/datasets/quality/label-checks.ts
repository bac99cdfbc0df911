import { qualityThresholds as limits } from "./quality-thresholds";
import { fraction, plural, type Finding, type QualitySample, type SampleNeighbours } from "./quality-input";

/**
 * A sample is suspect when more than half of its k nearest neighbours (k = labelNeighbours, in
 * the version, by embedding) share one label that is not its own: it looks like that class.
 */
export function suspectedLabelErrors(
  samples: readonly QualitySample[],
  neighbours: readonly SampleNeighbours[],
): Finding[] {
  const byId = new Map(samples.map((s) => [s.id, s]));
  const suspects: Array<{ sample: QualitySample; suggested: QualitySample; votes: number; of: number }> = [];
  const order = new Map(samples.map((s, index) => [s.id, index]));
  for (const { sampleId, neighbourIds } of neighbours) {
    const sample = byId.get(sampleId);
    if (!sample) continue;
    // Neighbours outside this version carry no label here: the k nearest that are in it vote.
    const near = neighbourIds.flatMap((id) => byId.get(id) ?? []).slice(0, limits.labelNeighbours);
    const votes = new Map<string, { count: number; example: QualitySample }>();
    for (const other of near) {
      const vote = votes.get(other.classId);
      if (vote) vote.count += 1;
      else votes.set(other.classId, { count: 1, example: other });
    }
    const [top] = [...votes.values()].sort((a, b) => b.count - a.count);
    if (top && top.example.classId !== sample.classId && top.count * 2 > limits.labelNeighbours) {
      suspects.push({ sample, suggested: top.example, votes: top.count, of: near.length });
    }
  }
  if (suspects.length === 0) return [];
  suspects.sort((a, b) => order.get(a.sample.id)! - order.get(b.sample.id)!);
  return [
    {
      kind: "SUSPECTED_LABEL_ERRORS",
      severity: "WARNING",
      sampleIds: suspects.map(({ sample }) => sample.id),
      recommendation:
        `${plural(suspects.length, "sample looks", "samples look")} like another class than ` +
        `${suspects.length === 1 ? "its label" : "their labels"} say (most of their ${limits.labelNeighbours} ` +
        `nearest neighbours carry one other label): check each and relabel it or remove it`,
      details: {
        affectedFraction: fraction(suspects.length, samples.length),
        neighbours: limits.labelNeighbours,
        samples: suspects.map(({ sample, suggested, votes, of }) => ({
          id: sample.id,
          label: sample.className,
          suggestedLabel: suggested.className,
          votes: `${votes}/${of}`,
        })),
      },
    },
  ];
}

import { qualityThresholds as limits } from "./quality-thresholds";
import { fraction, plural, type Finding, type QualitySample, type SampleNeighbours } from "./quality-input";

interface Suspect {
  sample: QualitySample;
  suggested: QualitySample;
  votes: number;
  of: number;
}

/** Two classes the embedding does not tell apart: many of each sit among the other. */
export interface ClassOverlap {
  classes: [string, string];
  samples: number;
}

export interface LabelCheckResult {
  findings: Finding[];
  overlaps: ClassOverlap[];
}

/**
 * A sample is suspect when at least labelMinVotes of its k nearest neighbours (k =
 * labelNeighbours, in the version, by embedding) share one label that is not its own.
 *
 * Judged relative to the dataset: when many samples of two classes sit among each other (coats
 * among pullovers for a colour-and-texture embedder), that says the embedding cannot separate the
 * classes, not that the labels are wrong, so such pairs are reported as overlapping instead.
 * Blank images are left to the exposure checks: they have no look to compare.
 */
export function suspectedLabelErrors(
  samples: readonly QualitySample[],
  neighbours: readonly SampleNeighbours[],
): LabelCheckResult {
  const byId = new Map(samples.map((s) => [s.id, s]));
  const order = new Map(samples.map((s, index) => [s.id, index]));
  const candidates: Suspect[] = [];
  for (const { sampleId, neighbourIds } of neighbours) {
    const sample = byId.get(sampleId);
    if (!sample || sample.clippedDarkFraction >= 0.99 || sample.clippedBrightFraction >= 0.99) continue;
    // Neighbours outside this version carry no label here: the k nearest that are in it vote.
    const near = neighbourIds.flatMap((id) => byId.get(id) ?? []).slice(0, limits.labelNeighbours);
    const votes = new Map<string, { count: number; example: QualitySample }>();
    for (const other of near) {
      const vote = votes.get(other.classId);
      if (vote) vote.count += 1;
      else votes.set(other.classId, { count: 1, example: other });
    }
    const [top] = [...votes.values()].sort((a, b) => b.count - a.count);
    // Weaker majorities still show how much two classes mix, so they count towards overlaps.
    if (top && top.example.classId !== sample.classId && top.count * 2 > limits.labelNeighbours) {
      candidates.push({ sample, suggested: top.example, votes: top.count, of: near.length });
    }
  }
  const { overlapping, overlaps } = overlappingPairs(samples, candidates);
  const suspects = candidates
    .filter(
      ({ sample, suggested, votes }) =>
        votes >= limits.labelMinVotes && !overlapping.has(pairKey(sample.classId, suggested.classId)),
    )
    .sort((a, b) => order.get(a.sample.id)! - order.get(b.sample.id)!);
  if (suspects.length === 0) return { findings: [], overlaps };
  const first = suspects[0]!;
  return {
    overlaps,
    findings: [
      {
        kind: "SUSPECTED_LABEL_ERRORS",
        severity: "WARNING",
        sampleIds: suspects.map(({ sample }) => sample.id),
        recommendation:
          `${plural(suspects.length, "sample looks", "samples look")} like another class than ` +
          `${suspects.length === 1 ? "its label" : "their labels"} say (most of their ${limits.labelNeighbours} ` +
          `nearest neighbours carry one other label): check each and relabel it or remove it`,
        explanation:
          `By stored embeddings: a sample counts when at least ${limits.labelMinVotes} of its ${limits.labelNeighbours} nearest ` +
          `neighbours in the version (by cosine distance) carry one label other than its own, and that pair of classes does not ` +
          `overlap in general (fewer than max(${limits.labelOverlapMinSamples}, ${limits.labelOverlapShare * 100} %) of their samples ` +
          `sit among each other); e.g. ${first.sample.originalPath}, labelled "${first.sample.className}", has ` +
          `${first.votes} of ${first.of} neighbours labelled "${first.suggested.className}".`,
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
    ],
  };
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\n${b}` : `${b}\n${a}`);

/**
 * Class pairs whose samples sit among each other (by a majority of their neighbours) often: at
 * least max(min samples, share of both classes).
 */
function overlappingPairs(samples: readonly QualitySample[], candidates: readonly Suspect[]) {
  const sizes = new Map<string, number>();
  for (const s of samples) sizes.set(s.classId, (sizes.get(s.classId) ?? 0) + 1);
  const counts = new Map<string, { count: number; names: [string, string]; ids: [string, string] }>();
  for (const { sample, suggested } of candidates) {
    const key = pairKey(sample.classId, suggested.classId);
    const entry = counts.get(key);
    if (entry) entry.count += 1;
    else
      counts.set(key, {
        count: 1,
        names: [sample.className, suggested.className].sort() as [string, string],
        ids: [sample.classId, suggested.classId],
      });
  }
  const overlapping = new Set<string>();
  const overlaps: ClassOverlap[] = [];
  for (const [key, { count, names, ids }] of counts) {
    const both = (sizes.get(ids[0]) ?? 0) + (sizes.get(ids[1]) ?? 0);
    if (count >= Math.max(limits.labelOverlapMinSamples, limits.labelOverlapShare * both)) {
      overlapping.add(key);
      overlaps.push({ classes: names, samples: count });
    }
  }
  return { overlapping, overlaps: overlaps.sort((a, b) => b.samples - a.samples) };
}

import type { PrismaClient } from "../../generated/prisma/client";
import { shuffledIndices } from "@tessera/seeded-random";
import { seededRandom } from "../search/seeded-random";

export type SplitName = "TRAIN" | "VALIDATION" | "TEST";

/** A sample as the tier's TrainRequest names it. */
export interface TrainingSample {
  /** Known to the gateway only (the tier is sent sha256, label and split): joins per-sample results. */
  sampleId?: string;
  sha256: string;
  /** Index into the job's labels. */
  label: number;
  split: SplitName;
}

export interface SplitCounts {
  train: number;
  validation: number;
  test: number;
  /** Whether validation came from the dataset's own split, or was drawn from the rest. */
  validationFrom: "dataset" | "drawn";
}

export interface SampleToSplit {
  sampleId?: string;
  sha256: string;
  label: number;
  /** The version's split for it: "train", "validation", "test" or null. */
  split: string | null;
}

/**
 * TEST is the version's test split. VALIDATION is the version's validation split when it has
 * one; otherwise a stratified draw of `fraction` of each class from the rest, seeded so a
 * resumed job draws the same samples. Every class keeps at least one sample in TRAIN and, when it
 * has two or more, gives at least one to VALIDATION.
 */
export function assignSplits(
  samples: readonly SampleToSplit[],
  fraction: number,
  seed: number,
): { samples: TrainingSample[]; counts: SplitCounts } {
  const fromDataset = samples.some((sample) => sample.split === "validation");
  const assigned: TrainingSample[] = [];
  const byClass = new Map<number, SampleToSplit[]>();
  for (const sample of samples) {
    if (sample.split === "test") assigned.push({ ...identity(sample), label: sample.label, split: "TEST" });
    else if (fromDataset) {
      const split = sample.split === "validation" ? "VALIDATION" : "TRAIN";
      assigned.push({ ...identity(sample), label: sample.label, split });
    } else {
      const members = byClass.get(sample.label) ?? [];
      members.push(sample);
      byClass.set(sample.label, members);
    }
  }
  const random = seededRandom(seed);
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = shuffled(byClass.get(label)!, random);
    const wanted = Math.round(members.length * fraction);
    const validation = members.length < 2 ? 0 : Math.min(members.length - 1, Math.max(1, wanted));
    members.forEach((sample, index) =>
      assigned.push({ ...identity(sample), label, split: index < validation ? "VALIDATION" : "TRAIN" }),
    );
  }
  const count = (split: SplitName) => assigned.filter((sample) => sample.split === split).length;
  return {
    samples: assigned,
    counts: {
      train: count("TRAIN"),
      validation: count("VALIDATION"),
      test: count("TEST"),
      validationFrom: fromDataset ? "dataset" : "drawn",
    },
  };
}

function identity(sample: SampleToSplit): Pick<TrainingSample, "sampleId" | "sha256"> {
  return sample.sampleId ? { sampleId: sample.sampleId, sha256: sample.sha256 } : { sha256: sample.sha256 };
}

/** The samples as the tier's TrainRequest lists them (the gateway's sample ids stay here). */
export function tierSamples(samples: readonly TrainingSample[]): TrainingSample[] {
  return samples.map(({ sha256, label, split }) => ({ sha256, label, split }));
}

/** Training samples per label, for class weights. */
export function trainCounts(samples: readonly TrainingSample[], labelCount: number): number[] {
  const counts = Array.from({ length: labelCount }, () => 0);
  for (const sample of samples) if (sample.split === "TRAIN") counts[sample.label]! += 1;
  return counts;
}

/**
 * A dataset version's samples with their label index (by class name in `labels`) and split, in a
 * fixed order (by sample id) so the seeded draw is the same on every run. Classes not among the
 * labels are left out.
 */
export async function versionSamples(
  prisma: PrismaClient,
  versionId: string,
  labels: readonly string[],
): Promise<SampleToSplit[]> {
  const rows = await prisma.versionSample.findMany({
    where: { versionId },
    select: {
      sampleId: true,
      split: true,
      sample: { select: { sha256: true } },
      class: { select: { name: true } },
    },
    orderBy: { sampleId: "asc" },
  });
  const index = new Map(labels.map((label, position) => [label, position]));
  return rows.flatMap((row) => {
    const label = index.get(row.class.name);
    return label === undefined
      ? []
      : [{ sampleId: row.sampleId, sha256: row.sample.sha256, label, split: row.split }];
  });
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  return Array.from(shuffledIndices(items.length, random), (index) => items[index]!);
}

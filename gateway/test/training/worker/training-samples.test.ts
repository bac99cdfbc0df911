import { describe, expect, it } from "vitest";
import { assignSplits, trainCounts, type SampleToSplit } from "../../../src/training/worker/training-samples";

/** `counts[c]` samples of class c, each with `split`. */
function samples(counts: number[], split: string | null = null): SampleToSplit[] {
  return counts.flatMap((count, label) =>
    Array.from({ length: count }, (_, i) => ({ sha256: `${label}-${i}`, label, split })),
  );
}

function perClass(assigned: ReturnType<typeof assignSplits>["samples"], split: string, classes: number) {
  return trainCounts(
    assigned.filter((s) => s.split === split).map((s) => ({ ...s, split: "TRAIN" as const })),
    classes,
  );
}

describe("assignSplits", () => {
  it("holds out the validation fraction of each class, rounded, from unsplit samples", () => {
    const { samples: assigned, counts } = assignSplits(samples([10, 20, 5]), 0.2, 7);
    expect(perClass(assigned, "VALIDATION", 3)).toEqual([2, 4, 1]);
    expect(perClass(assigned, "TRAIN", 3)).toEqual([8, 16, 4]);
    expect(counts).toEqual({ train: 28, validation: 7, test: 0, validationFrom: "drawn" });
  });

  it("keeps one sample of every class in train and gives one to validation when it has two", () => {
    const { samples: assigned } = assignSplits(samples([1, 2, 3]), 0.9, 1);
    expect(perClass(assigned, "TRAIN", 3)).toEqual([1, 1, 1]);
    expect(perClass(assigned, "VALIDATION", 3)).toEqual([0, 1, 2]);
    const tiny = assignSplits(samples([2, 40]), 0.01, 1).samples;
    expect(perClass(tiny, "VALIDATION", 2)).toEqual([1, 1]);
  });

  it("draws the same samples for the same seed, and others for another seed", () => {
    const held = (seed: number) =>
      assignSplits(samples([30, 30]), 0.3, seed)
        .samples.filter((s) => s.split === "VALIDATION")
        .map((s) => s.sha256)
        .sort();
    expect(held(42)).toEqual(held(42));
    expect(held(42)).not.toEqual(held(43));
  });

  it("uses the dataset's validation split when it has one, and its test split always", () => {
    const given = [
      ...samples([3, 3], "train"),
      ...samples([1, 1], "validation").map((s) => ({ ...s, sha256: `v${s.sha256}` })),
      ...samples([2, 0], "test").map((s) => ({ ...s, sha256: `t${s.sha256}` })),
      ...samples([1, 1]).map((s) => ({ ...s, sha256: `n${s.sha256}` })),
    ];
    const { samples: assigned, counts } = assignSplits(given, 0.5, 1);
    expect(counts).toEqual({ train: 8, validation: 2, test: 2, validationFrom: "dataset" });
    expect(assigned.filter((s) => s.split === "VALIDATION").map((s) => s.sha256)).toEqual(["v0-0", "v1-0"]);
    expect(assigned.filter((s) => s.split === "TEST").map((s) => s.sha256)).toEqual(["t0-0", "t0-1"]);
  });

  it("draws validation from the rest when the dataset only has a test split", () => {
    const given = [
      ...samples([4, 4]),
      ...samples([1, 1], "test").map((s) => ({ ...s, sha256: `t${s.sha256}` })),
    ];
    const { counts } = assignSplits(given, 0.25, 3);
    expect(counts).toEqual({ train: 6, validation: 2, test: 2, validationFrom: "drawn" });
  });
});

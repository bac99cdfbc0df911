import type { PrismaClient } from "../../generated/prisma/client";
import type { TrainingOptions } from "../../training/training-contracts";
import { assignSplits, versionSamples } from "../../training/worker/training-samples";

/** Most held-out samples a duel classifies with each model. */
export const MAX_HELD_OUT = 2_000;

export interface HeldOutSet {
  /** "test split" or "validation draw". */
  source: string;
  samples: Array<{ sha256: string; label: string }>;
}

/**
 * The samples champion and challenger are both scored on, with their labels in the run's version:
 * its test split when it has one; otherwise the validation samples of the challenger's own
 * training (the same seeded stratified draw the training job made, or the version's validation
 * split), the only labelled samples the challenger never trained on. The champion may have seen
 * some of them in its own training, which can only favour it: a promotion is never won by that.
 */
export async function heldOutSet(
  prisma: PrismaClient,
  training: {
    datasetVersionId: string;
    labels: string[];
    options: Pick<TrainingOptions, "validationSplit" | "seed">;
  },
): Promise<HeldOutSet> {
  const samples = await versionSamples(prisma, training.datasetVersionId, training.labels);
  const test = samples.filter((sample) => sample.split === "test");
  const picked =
    test.length > 0
      ? { source: "test split", samples: test }
      : {
          source: "validation draw",
          samples: assignSplits(
            samples,
            training.options.validationSplit,
            training.options.seed,
          ).samples.filter((sample) => sample.split === "VALIDATION"),
        };
  return {
    source: picked.source,
    // Ordered by content so a capped set mixes every class.
    samples: [...picked.samples]
      .sort((a, b) => (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0))
      .slice(0, MAX_HELD_OUT)
      .map((sample) => ({ sha256: sample.sha256, label: training.labels[sample.label]! })),
  };
}

import { describe, expect, it } from "vitest";
import { createPruner, type PrunerOptions } from "../../../src/training/search";

/** Three finished trials' val_loss per epoch. */
const finished = [
  [1.0, 0.8, 0.6, 0.5],
  [1.2, 0.9, 0.85, 0.8],
  [0.9, 0.95, 0.7, 0.4],
];

describe("median pruner", () => {
  const pruner = createPruner({ rule: "median", warmupEpochs: 1, minTrials: 3 });

  it("prunes a trial worse than the median of earlier trials' best-so-far at that epoch", () => {
    // Best-so-far at epoch 2: 0.8, 0.9, 0.9 → median 0.9.
    expect(pruner.shouldPrune(2, 0.95, finished)).toBe(true);
    expect(pruner.shouldPrune(2, 0.9, finished)).toBe(false);
    expect(pruner.shouldPrune(2, 0.5, finished)).toBe(false);
    // Epoch 3: 0.6, 0.85, 0.7 → 0.7.
    expect(pruner.shouldPrune(3, 0.71, finished)).toBe(true);
    expect(pruner.shouldPrune(3, 0.69, finished)).toBe(false);
  });

  it("uses the best value each earlier trial reached so far, not its value at that epoch", () => {
    // The second trial was at 0.95 on epoch 2 but had reached 0.9 on epoch 1.
    const curves = [
      [1.0, 0.8],
      [0.9, 0.95],
    ];
    const eager = createPruner({ rule: "median", warmupEpochs: 0, minTrials: 1 });
    // Best-so-far at epoch 2: 0.8 and 0.9 → median 0.85.
    expect(eager.shouldPrune(2, 0.87, curves)).toBe(true);
    expect(eager.shouldPrune(2, 0.85, curves)).toBe(false);
  });

  it("never prunes during warm-up epochs", () => {
    expect(pruner.shouldPrune(1, 5, finished)).toBe(false);
    expect(createPruner({ rule: "median", warmupEpochs: 0, minTrials: 3 }).shouldPrune(1, 5, finished)).toBe(
      true,
    );
  });

  it("never prunes before minTrials trials have finished", () => {
    expect(pruner.shouldPrune(3, 5, finished.slice(0, 2))).toBe(false);
    expect(pruner.shouldPrune(3, 5, [])).toBe(false);
  });

  it("leaves out earlier trials that stopped before this epoch", () => {
    const curves = [
      [1.0, 0.8],
      [1.2, 0.9, 0.85, 0.3],
      [0.9, 0.95, 0.7],
    ];
    // Only trial 2 reached epoch 4 (best 0.3).
    expect(pruner.shouldPrune(4, 0.31, curves)).toBe(true);
    expect(pruner.shouldPrune(5, 9, curves)).toBe(false);
  });

  it("prunes a trial whose value became NaN", () => {
    expect(pruner.shouldPrune(2, Number.NaN, finished)).toBe(true);
  });

  it("refuses options it cannot follow", () => {
    const options: PrunerOptions = { rule: "median", warmupEpochs: 1, minTrials: 3 };
    expect(() => createPruner({ ...options, warmupEpochs: -1 })).toThrow(
      "warmupEpochs must be a whole number of at least 0, got -1",
    );
    expect(() => createPruner({ ...options, minTrials: 0 })).toThrow(
      "minTrials must be a whole number of at least 1, got 0",
    );
    expect(() => createPruner({ ...options, rule: "halving" as "median" })).toThrow(
      'pruning rule must be "median", got halving',
    );
  });
});

import { describe, expect, it } from "vitest";
import { objectiveSign, rankTrials } from "../../../src/training/search";

const trials = [
  { number: 1, objective: 0.7 },
  { number: 2, objective: null },
  { number: 3, objective: 0.9 },
  { number: 4, objective: 0.7 },
  { number: 5, objective: 0.2 },
  { number: 6, objective: null },
];

const order = (ranked: { number: number }[]) => ranked.map((trial) => trial.number);

describe("rankTrials", () => {
  it("puts the highest accuracy first, trials without objective last, ties by number", () => {
    expect(order(rankTrials(trials, "val_accuracy"))).toEqual([3, 1, 4, 5, 2, 6]);
    expect(order(rankTrials(trials, "accuracy"))).toEqual([3, 1, 4, 5, 2, 6]);
  });

  it("puts the lowest loss first", () => {
    expect(order(rankTrials(trials, "val_loss"))).toEqual([5, 1, 4, 3, 2, 6]);
    expect(order(rankTrials(trials, "loss"))).toEqual([5, 1, 4, 3, 2, 6]);
  });

  it("leaves the given array as it was and keeps each trial's other fields", () => {
    const stored = [
      { number: 2, objective: 0.4, status: "PRUNED" },
      { number: 1, objective: 0.1, status: "SUCCEEDED" },
    ];
    expect(rankTrials(stored, "val_loss")).toEqual([
      { number: 1, objective: 0.1, status: "SUCCEEDED" },
      { number: 2, objective: 0.4, status: "PRUNED" },
    ]);
    expect(order(stored)).toEqual([2, 1]);
  });
});

describe("objectiveSign", () => {
  it("minimises losses as they are and accuracies negated", () => {
    expect(objectiveSign("val_loss")).toBe(1);
    expect(objectiveSign("loss")).toBe(1);
    expect(objectiveSign("val_accuracy")).toBe(-1);
    expect(objectiveSign("accuracy")).toBe(-1);
  });
});

import { describe, expect, it } from "vitest";
import {
  createSampler,
  gridPoints,
  gridSize,
  validateSearchSpace,
  type CompletedTrial,
} from "../../../src/training/search";
import type { SearchDimension, TrialParams } from "../../../src/training/training-contracts";

/** Runs a sampler to the end, every trial succeeding with objective 0. */
function everyTrial(space: SearchDimension[], maxTrials: number): TrialParams[] {
  const sampler = createSampler("GRID", space, { seed: 1, maxTrials });
  const history: CompletedTrial[] = [];
  for (let params = sampler.next(history); params; params = sampler.next(history)) {
    history.push({ params, objective: 0, state: "SUCCEEDED" });
  }
  return history.map((trial) => trial.params);
}

const points = (dimension: SearchDimension) => gridPoints(validateSearchSpace([dimension])[0]!);

describe("GRID", () => {
  const space: SearchDimension[] = [
    { name: "learningRate", min: 1e-4, max: 1e-2, logScale: true },
    { name: "optimizer", choices: ["SGD", "ADAM"] },
    { name: "batchSize", values: [16, 32] },
  ];

  it("enumerates the Cartesian product, the last dimension fastest", () => {
    expect(gridSize(space)).toBe(12);
    expect(everyTrial(space, 100)).toEqual([
      { learningRate: 1e-4, optimizer: "SGD", batchSize: 16 },
      { learningRate: 1e-4, optimizer: "SGD", batchSize: 32 },
      { learningRate: 1e-4, optimizer: "ADAM", batchSize: 16 },
      { learningRate: 1e-4, optimizer: "ADAM", batchSize: 32 },
      { learningRate: 1e-3, optimizer: "SGD", batchSize: 16 },
      { learningRate: 1e-3, optimizer: "SGD", batchSize: 32 },
      { learningRate: 1e-3, optimizer: "ADAM", batchSize: 16 },
      { learningRate: 1e-3, optimizer: "ADAM", batchSize: 32 },
      { learningRate: 1e-2, optimizer: "SGD", batchSize: 16 },
      { learningRate: 1e-2, optimizer: "SGD", batchSize: 32 },
      { learningRate: 1e-2, optimizer: "ADAM", batchSize: 16 },
      { learningRate: 1e-2, optimizer: "ADAM", batchSize: 32 },
    ]);
  });

  it("stops after maxTrials", () => {
    expect(everyTrial(space, 5)).toEqual(everyTrial(space, 100).slice(0, 5));
  });

  it("suggests the same trial when the same history is replayed", () => {
    const sampler = createSampler("GRID", space, { seed: 1, maxTrials: 12 });
    const history = everyTrial(space, 3).map((params) => ({
      params,
      objective: 1,
      state: "SUCCEEDED" as const,
    }));
    expect(sampler.next(history)).toEqual({ learningRate: 1e-4, optimizer: "ADAM", batchSize: 32 });
    expect(sampler.next(history)).toEqual({ learningRate: 1e-4, optimizer: "ADAM", batchSize: 32 });
  });

  it("spaces range points evenly, in the logarithm for logScale, and rounds whole numbers", () => {
    expect(points({ name: "dropout", min: 0, max: 0.5, steps: 6 })).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(points({ name: "learningRate", min: 1e-5, max: 1e-1, logScale: true, steps: 5 })).toEqual([
      1e-5, 1e-4, 1e-3, 1e-2, 1e-1,
    ]);
    expect(points({ name: "batchSize", min: 16, max: 256, logScale: true, steps: 5 })).toEqual([
      16, 32, 64, 128, 256,
    ]);
    expect(points({ name: "hiddenUnits", min: 10, max: 20, steps: 4 })).toEqual([10, 13, 17, 20]);
  });

  it("drops points that round to the same whole number", () => {
    expect(points({ name: "trainableLayersCount", min: 0, max: 2, steps: 5 })).toEqual([0, 1, 2]);
    expect(points({ name: "trainableLayersCount", min: 3, max: 3 })).toEqual([3]);
    expect(
      gridSize([
        { name: "trainableLayersCount", min: 0, max: 2, steps: 5 },
        { name: "optimizer", choices: ["SGD"] },
      ]),
    ).toBe(3);
  });
});

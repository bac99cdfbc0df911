import { describe, expect, it } from "vitest";
import { AppError, ErrorCode } from "../../../src/errors";
import { createSampler, type CompletedTrial } from "../../../src/training/search";
import type { SearchDimension, SearchStrategy, TrialParams } from "../../../src/training/training-contracts";

const space: SearchDimension[] = [
  { name: "learningRate", min: 1e-5, max: 1e-1, logScale: true },
  { name: "dropout", min: 0, max: 0.5 },
  { name: "hiddenUnits", min: 1, max: 4 },
  { name: "optimizer", choices: ["SGD", "ADAM"] },
];

function trials(seed: number, maxTrials: number, strategy: SearchStrategy = "RANDOM"): TrialParams[] {
  const sampler = createSampler(strategy, space, { seed, maxTrials });
  const history: CompletedTrial[] = [];
  for (let params = sampler.next(history); params; params = sampler.next(history)) {
    history.push({ params, objective: history.length, state: "SUCCEEDED" });
  }
  return history.map((trial) => trial.params);
}

const share = (values: readonly unknown[], test: (value: number) => boolean) =>
  values.filter((value) => test(value as number)).length / values.length;

describe("RANDOM", () => {
  it("draws the same sequence for the same seed and another for another seed", () => {
    const first = trials(7, 20);
    expect(first).toHaveLength(20);
    expect(trials(7, 20)).toEqual(first);
    expect(trials(8, 20)).not.toEqual(first);
    // A longer search starts with the same trials.
    expect(trials(7, 30).slice(0, 20)).toEqual(first);
  });

  it("stays in bounds: log-uniform over logScale ranges, every whole number equally likely", () => {
    const drawn = trials(3, 2000);
    const rates = drawn.map((params) => params.learningRate as number);
    expect(Math.min(...rates)).toBeGreaterThanOrEqual(1e-5);
    expect(Math.max(...rates)).toBeLessThanOrEqual(1e-1);
    // Log-uniform: each of the four decades holds about a quarter of the draws.
    for (let decade = -5; decade < -1; decade++) {
      expect(share(rates, (rate) => rate >= 10 ** decade && rate < 10 ** (decade + 1))).toBeCloseTo(0.25, 1);
    }
    const dropouts = drawn.map((params) => params.dropout as number);
    expect(Math.min(...dropouts)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...dropouts)).toBeLessThanOrEqual(0.5);
    expect(share(dropouts, (dropout) => dropout < 0.25)).toBeCloseTo(0.5, 1);
    const units = drawn.map((params) => params.hiddenUnits);
    for (const count of [1, 2, 3, 4]) expect(share(units, (unit) => unit === count)).toBeCloseTo(0.25, 1);
    expect(new Set(units)).toEqual(new Set([1, 2, 3, 4]));
    expect(
      share(
        drawn.map((params) => (params.optimizer === "ADAM" ? 1 : 0)),
        (adam) => adam === 1,
      ),
    ).toBeCloseTo(0.5, 1);
  });

  it("refuses a maxTrials below 1 and an unknown strategy", () => {
    expect(() => createSampler("RANDOM", space, { seed: 1, maxTrials: 0 })).toThrow(
      "maxTrials must be a whole number of at least 1, got 0",
    );
    expect(() => createSampler("ANNEALING" as SearchStrategy, space, { seed: 1, maxTrials: 5 })).toThrow(
      expect.objectContaining({
        code: ErrorCode.BAD_USER_INPUT,
        message: "strategy must be GRID, RANDOM or BAYESIAN, got ANNEALING",
      }) as AppError,
    );
  });
});

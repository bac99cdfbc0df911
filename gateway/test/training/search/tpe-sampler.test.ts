import { describe, expect, it } from "vitest";
import { createSampler, type CompletedTrial } from "../../../src/training/search";
import type { SearchDimension, SearchStrategy, TrialParams } from "../../../src/training/training-contracts";

const space: SearchDimension[] = [
  { name: "learningRate", min: 1e-4, max: 1e-1, logScale: true },
  { name: "dropout", min: 0, max: 0.6 },
];

type Objective = (params: TrialParams) => number;
const valley =
  (logRate: number, dropout: number): Objective =>
  (params) =>
    (Math.log10(params.learningRate as number) - logRate) ** 2 + ((params.dropout as number) - dropout) ** 2;

function search(
  strategy: SearchStrategy,
  objective: Objective,
  seed: number,
  maxTrials = 40,
): CompletedTrial[] {
  const sampler = createSampler(strategy, space, { seed, maxTrials });
  const history: CompletedTrial[] = [];
  for (let params = sampler.next(history); params; params = sampler.next(history)) {
    history.push({ params, objective: objective(params), state: "SUCCEEDED" });
  }
  return history;
}

const best = (history: CompletedTrial[]) => Math.min(...history.map((trial) => trial.objective as number));
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const seeds = Array.from({ length: 20 }, (_, index) => index + 1);

describe("BAYESIAN (TPE)", () => {
  it("finds the minimum of a known function better than RANDOM with 40 trials", () => {
    const objective = valley(-2.5, 0.3);
    const tpe = seeds.map((seed) => best(search("BAYESIAN", objective, seed)));
    const random = seeds.map((seed) => best(search("RANDOM", objective, seed)));
    // Over these seeds TPE averages about 0.003 and RANDOM about 0.0085.
    expect(mean(tpe)).toBeLessThan(mean(random) / 2);
    expect(mean(tpe)).toBeLessThan(0.004);
    expect(tpe.filter((value, index) => value < random[index]!).length).toBeGreaterThanOrEqual(12);
  });

  it("beats RANDOM on average when the minimum is far from the middle of the space", () => {
    const objective = valley(-3.6, 0.08);
    const tpe = seeds.map((seed) => best(search("BAYESIAN", objective, seed)));
    const random = seeds.map((seed) => best(search("RANDOM", objective, seed)));
    // Here TPE averages about 0.0013 and RANDOM about 0.018.
    expect(mean(tpe)).toBeLessThan(mean(random) / 5);
    expect(mean(tpe)).toBeLessThan(0.003);
  });

  it("starts with the same random trials as RANDOM, then concentrates near the good ones", () => {
    const objective = valley(-2.5, 0.3);
    const tpe = search("BAYESIAN", objective, 5);
    const random = search("RANDOM", objective, 5);
    // max(3, 20% of 40) = 8 startup trials.
    expect(tpe.slice(0, 8).map((trial) => trial.params)).toEqual(
      random.slice(0, 8).map((trial) => trial.params),
    );
    expect(tpe.slice(8, 9).map((trial) => trial.params)).not.toEqual(
      random.slice(8, 9).map((trial) => trial.params),
    );
    const lastTen = (history: CompletedTrial[]) =>
      mean(history.slice(-10).map((trial) => trial.objective as number));
    expect(lastTen(tpe)).toBeLessThan(lastTen(random) / 2);
  });

  it("is reproducible per seed and replays the same suggestion for the same history", () => {
    const objective = valley(-2.5, 0.3);
    const history = search("BAYESIAN", objective, 9, 20);
    expect(search("BAYESIAN", objective, 9, 20)).toEqual(history);
    const rebuilt = createSampler("BAYESIAN", space, { seed: 9, maxTrials: 20 });
    expect(rebuilt.next(history.slice(0, 15))).toEqual(history[15]!.params);
    expect(rebuilt.next(history)).toBeNull();
  });

  it("stays in bounds and learns which choice and whole number are better", () => {
    const mixed: SearchDimension[] = [
      { name: "optimizer", choices: ["SGD", "ADAM"] },
      { name: "trainableLayersCount", min: 0, max: 8 },
      { name: "learningRate", min: 1e-4, max: 1e-1, logScale: true },
    ];
    const objective = (params: TrialParams) =>
      (params.optimizer === "ADAM" ? 0 : 1) + Math.abs((params.trainableLayersCount as number) - 2) / 4;
    const runs = seeds.slice(0, 8).map((seed) => {
      const sampler = createSampler("BAYESIAN", mixed, { seed, maxTrials: 30 });
      const history: CompletedTrial[] = [];
      for (let params = sampler.next(history); params; params = sampler.next(history)) {
        history.push({ params, objective: objective(params), state: "SUCCEEDED" });
      }
      return history;
    });
    for (const { params } of runs.flat()) {
      expect(Number.isInteger(params.trainableLayersCount)).toBe(true);
      expect(params.trainableLayersCount).toBeGreaterThanOrEqual(0);
      expect(params.trainableLayersCount).toBeLessThanOrEqual(8);
      expect(params.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(params.learningRate).toBeLessThanOrEqual(1e-1);
    }
    // After max(3, 20% of 30) = 6 startup trials. A seed whose few random ADAM trials happened
    // to be poor for another reason may stay with SGD: TPE models each dimension on its own.
    const adamShare = (history: CompletedTrial[]) =>
      history.slice(6).filter((trial) => trial.params.optimizer === "ADAM").length / 24;
    expect(mean(runs.map(adamShare))).toBeGreaterThan(0.75);
    expect(runs.filter((history) => best(history) === 0).length).toBeGreaterThanOrEqual(6);
  });

  it("steers away from where trials failed", () => {
    // Learning rates above 1e-2 diverge (no objective); all others are equally good.
    const failuresAfterStartup = (strategy: SearchStrategy, seed: number) => {
      const sampler = createSampler(strategy, space, { seed, maxTrials: 40 });
      const history: CompletedTrial[] = [];
      for (let params = sampler.next(history); params; params = sampler.next(history)) {
        const diverged = (params.learningRate as number) > 1e-2;
        history.push({ params, objective: diverged ? null : 1, state: diverged ? "FAILED" : "SUCCEEDED" });
      }
      return history.slice(8).filter((trial) => trial.objective === null).length;
    };
    const tpe = seeds.slice(0, 12).map((seed) => failuresAfterStartup("BAYESIAN", seed));
    const random = seeds.slice(0, 12).map((seed) => failuresAfterStartup("RANDOM", seed));
    // A third of the space diverges: RANDOM sends about 11 of the 32 later trials there.
    expect(mean(tpe)).toBeLessThan(mean(random) / 2);
  });
});

import { badInput } from "../../errors";
import type { Monitor, SearchDimension, SearchStrategy } from "../training-contracts";
import { createGridSampler } from "./grid-sampler";
import { createRandomSampler } from "./random-sampler";
import type { Sampler, SamplerOptions } from "./sampler-types";
import { validateSearchSpace } from "./search-space";
import { createTpeSampler } from "./tpe-sampler";

/**
 * +1 for metrics where lower is better (losses), −1 where higher is better (accuracies):
 * the samplers and the pruner always minimise `objectiveSign(monitor) × value`.
 */
export function objectiveSign(monitor: Monitor): 1 | -1 {
  return monitor === "loss" || monitor === "val_loss" ? 1 : -1;
}

/** The sampler for a strategy over a search space (validated here, so raw input is fine). */
export function createSampler(
  strategy: SearchStrategy,
  space: SearchDimension[],
  options: SamplerOptions,
): Sampler {
  const { seed, maxTrials } = options;
  if (!Number.isInteger(maxTrials) || maxTrials < 1) {
    throw badInput(`maxTrials must be a whole number of at least 1, got ${maxTrials}`, {
      field: "maxTrials",
    });
  }
  if (!Number.isFinite(seed)) throw badInput(`seed must be a finite number, got ${seed}`, { field: "seed" });
  const normalised = validateSearchSpace(space);
  switch (strategy) {
    case "GRID":
      return createGridSampler(normalised, maxTrials);
    case "RANDOM":
      return createRandomSampler(normalised, options);
    case "BAYESIAN":
      return createTpeSampler(normalised, options);
    default:
      throw badInput(`strategy must be GRID, RANDOM or BAYESIAN, got ${String(strategy)}`, {
        field: "strategy",
      });
  }
}

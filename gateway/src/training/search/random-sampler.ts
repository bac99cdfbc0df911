import type { SearchDimension, TrialParams } from "../training-contracts";
import { scaleOf, valueAt, type DimensionScale } from "./dimension-scale";
import type { Sampler, SamplerOptions } from "./sampler-types";
import { seededRandom, trialSeed } from "./seeded-random";

/**
 * One value drawn uniformly: along the range's scale (so a logScale range is log-uniform and
 * each whole number of an integer range equally likely), or one entry of a list.
 */
export function drawValue(scale: DimensionScale, random: () => number): number | string {
  if (scale.kind === "range") return valueAt(scale, random());
  return scale.options[Math.floor(random() * scale.options.length)]!;
}

/** A whole trial drawn at random, from that trial's own seeded stream. */
export function drawTrial(scales: readonly DimensionScale[], seed: number, trialIndex: number): TrialParams {
  const random = seededRandom(trialSeed(seed, trialIndex));
  return Object.fromEntries(scales.map((scale) => [scale.dimension.name, drawValue(scale, random)]));
}

export function createRandomSampler(space: SearchDimension[], { seed, maxTrials }: SamplerOptions): Sampler {
  const scales = space.map(scaleOf);
  return {
    next(history) {
      if (history.length >= maxTrials) return null;
      return drawTrial(scales, seed, history.length);
    },
  };
}

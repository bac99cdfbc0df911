import type { SearchDimension } from "../training-contracts";
import { scaleOf } from "./dimension-scale";
import type { Sampler } from "./sampler-types";
import { validateSearchSpace } from "./search-space";

/** Float noise such as 0.0009999999999999998 for 1e-3 would otherwise show in stored params. */
const tidy = (value: number) => Number(value.toPrecision(12));

/**
 * The points GRID tries for one dimension, in order: a list as given; a range as `steps`
 * evenly spaced points from min to max (evenly in the logarithm when logScale), rounded for
 * whole-number parameters with repeats dropped.
 */
export function gridPoints(dimension: SearchDimension): (number | string)[] {
  const scale = scaleOf(dimension);
  if (scale.kind === "list") return [...scale.options];
  const steps = dimension.steps as number;
  const [low, high] = scale.logScale ? [Math.log(scale.min), Math.log(scale.max)] : [scale.min, scale.max];
  const points = Array.from({ length: steps }, (_, step) => {
    if (step === 0) return scale.min;
    if (step === steps - 1) return scale.max;
    const position = low + (step / (steps - 1)) * (high - low);
    const value = scale.logScale ? Math.exp(position) : position;
    return scale.integer ? Math.round(value) : tidy(value);
  });
  return [...new Set(points)];
}

/** How many trials the whole grid of a search space holds. */
export function gridSize(space: SearchDimension[]): number {
  return validateSearchSpace(space).reduce((size, dimension) => size * gridPoints(dimension).length, 1);
}

/**
 * Enumerates the Cartesian product like an odometer: the last dimension changes fastest, the
 * first slowest. Stops after the grid or after `maxTrials`, whichever comes first, so a grid
 * larger than maxTrials is cut short along its first dimension.
 */
export function createGridSampler(space: SearchDimension[], maxTrials: number): Sampler {
  const axes = space.map((dimension) => ({ name: dimension.name, points: gridPoints(dimension) }));
  const size = axes.reduce((product, axis) => product * axis.points.length, 1);
  const trials = Math.min(size, maxTrials);
  return {
    next(history) {
      if (history.length >= trials) return null;
      const positions: number[] = [];
      let remaining = history.length;
      for (let axis = axes.length - 1; axis >= 0; axis--) {
        const count = axes[axis]!.points.length;
        positions[axis] = remaining % count;
        remaining = Math.floor(remaining / count);
      }
      return Object.fromEntries(axes.map((axis, index) => [axis.name, axis.points[positions[index]!]!]));
    },
  };
}

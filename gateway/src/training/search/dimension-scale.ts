import type { SearchDimension } from "../training-contracts";

/**
 * A normalised dimension seen by the samplers: a numeric range they move through on a unit
 * scale, or a list (numbers or choices) they pick from by position.
 */
export type DimensionScale =
  | {
      kind: "range";
      dimension: SearchDimension;
      min: number;
      max: number;
      logScale: boolean;
      integer: boolean;
    }
  | { kind: "list"; dimension: SearchDimension; options: readonly (number | string)[] };

export function scaleOf(dimension: SearchDimension): DimensionScale {
  const options = dimension.choices ?? dimension.values;
  if (options) return { kind: "list", dimension, options };
  return {
    kind: "range",
    dimension,
    min: dimension.min as number,
    max: dimension.max as number,
    logScale: dimension.logScale === true,
    integer: dimension.integer === true,
  };
}

type RangeScale = Extract<DimensionScale, { kind: "range" }>;

/**
 * The ends of a range on the scale it is searched on. An integer range reaches half a step
 * past each end so that, after rounding, every whole number covers an equal share of it.
 */
function ends(scale: RangeScale): [number, number] {
  const low = scale.integer ? scale.min - 0.5 : scale.min;
  const high = scale.integer ? scale.max + 0.5 : scale.max;
  return scale.logScale ? [Math.log(low), Math.log(high)] : [low, high];
}

/** The parameter value at position `unit` (0…1) of the range: rounded, and never outside it. */
export function valueAt(scale: RangeScale, unit: number): number {
  const [low, high] = ends(scale);
  const position = low + unit * (high - low);
  const value = scale.logScale ? Math.exp(position) : position;
  const rounded = scale.integer ? Math.round(value) : value;
  return Math.min(scale.max, Math.max(scale.min, rounded));
}

/** Where a parameter value lies in its range, 0…1 (the inverse of `valueAt`). */
export function positionOf(scale: RangeScale, value: number): number {
  const [low, high] = ends(scale);
  const position = scale.logScale ? Math.log(value) : value;
  return (position - low) / (high - low);
}

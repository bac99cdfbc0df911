/** Row-major vectors: row i is values[i·dimension … (i+1)·dimension). */
export interface Vectors {
  values: ArrayLike<number>;
  dimension: number;
}

export const rowCount = (vectors: Vectors) =>
  vectors.dimension > 0 ? Math.floor(vectors.values.length / vectors.dimension) : 0;

/** Squared Euclidean distance between row `i` of `a` and row `j` of `b` (same dimension). */
export function squaredDistance(a: Vectors, i: number, b: Vectors, j: number): number {
  const { dimension } = a;
  const x = a.values;
  const y = b.values;
  const xOffset = i * dimension;
  const yOffset = j * b.dimension;
  let sum = 0;
  for (let d = 0; d < dimension; d++) {
    const difference = x[xOffset + d]! - y[yOffset + d]!;
    sum += difference * difference;
  }
  return sum;
}

/**
 * The candidate that ranks first by `priority` (higher first), ties to the lower index: the one
 * order every selection step falls back on, so equal inputs give equal picks.
 */
export function byPriority(priority: ArrayLike<number>) {
  return (a: number, b: number) => priority[b]! - priority[a]! || a - b;
}

/** The `count` highest-priority candidates, in that order. */
export function topByPriority(
  candidates: readonly number[],
  priority: ArrayLike<number>,
  count: number,
): number[] {
  return [...candidates].sort(byPriority(priority)).slice(0, Math.max(0, count));
}

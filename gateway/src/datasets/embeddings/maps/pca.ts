export interface Projection {
  /** x0, y0, x1, y1, …: each vector on the first two principal components. */
  coordinates: Float32Array;
  /** Share of the total variance along each axis, 0–1. */
  explained: [number, number];
}

const MAX_ITERATIONS = 500;
/** Dimensions up to which the covariance matrix is formed (see projectTo2d). */
const COVARIANCE_UP_TO = 512;
const TOLERANCE = 1e-10;

/**
 * Principal component analysis down to two dimensions, by subspace iteration on the covariance
 * (formed up to `covarianceUpTo` dimensions, else applied as two passes over the data), then a 2×2
 * Rayleigh–Ritz step to order the two axes. Each axis's sign is fixed so that its largest
 * loading is positive: the same vectors always give the same picture.
 *
 * `vectors` holds `count` rows of `dimension` values each.
 */
export function projectTo2d(
  vectors: ArrayLike<number>,
  count: number,
  dimension: number,
  options: { covarianceUpTo?: number } = {},
): Projection {
  if (vectors.length !== count * dimension) {
    throw new RangeError(
      `Expected ${count} × ${dimension} = ${count * dimension} values, got ${vectors.length}`,
    );
  }
  const coordinates = new Float32Array(count * 2);
  if (count < 2 || dimension === 0) return { coordinates, explained: [0, 0] };

  const centred = centre(vectors, count, dimension);
  let totalVariance = 0;
  for (const value of centred) totalVariance += value * value;
  if (totalVariance === 0) return { coordinates, explained: [0, 0] };

  // Up to a few hundred dimensions the covariance (dimension² values, one pass over the data to
  // form) makes each iteration cost dimension² instead of two passes over every vector: when
  // the leading variances are close (many similar classes) the iteration runs its 500 steps, and
  // at 50,000 vectors that was minutes. Beyond, forming it would cost more than it saves.
  const covariance =
    dimension <= (options.covarianceUpTo ?? COVARIANCE_UP_TO)
      ? covarianceOf(centred, count, dimension)
      : null;
  const covarianceTimes = (vector: Float64Array) => {
    if (covariance) return multiply(covariance, dimension, dimension, vector);
    const scores = multiply(centred, count, dimension, vector);
    return multiplyTransposed(centred, count, dimension, scores);
  };

  let basis = orthonormalise([startVector(dimension, 1), startVector(dimension, 2)]);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    const next = orthonormalise(basis.map(covarianceTimes));
    // Only the plane has to settle: Rayleigh–Ritz finds the axes within it, however close their variances.
    const moved = Math.max(
      ...next.map((vector) => dot(vector, vector) - sumOfSquares(basis.map((old) => dot(vector, old)))),
    );
    basis = next;
    if (moved < TOLERANCE) break;
  }

  const axes = rayleighRitz(basis, covarianceTimes);
  const explained = axes.map((axis) => axis.variance / totalVariance) as [number, number];
  for (const [axisIndex, axis] of axes.entries()) {
    const scores = multiply(centred, count, dimension, fixSign(axis.vector));
    for (let row = 0; row < count; row += 1) coordinates[row * 2 + axisIndex] = scores[row]!;
  }
  return { coordinates, explained };
}

function centre(vectors: ArrayLike<number>, count: number, dimension: number): Float64Array {
  const mean = new Float64Array(dimension);
  for (let row = 0; row < count; row += 1) {
    for (let column = 0; column < dimension; column += 1) mean[column]! += vectors[row * dimension + column]!;
  }
  for (let column = 0; column < dimension; column += 1) mean[column]! /= count;
  const centred = new Float64Array(count * dimension);
  for (let index = 0; index < centred.length; index += 1) {
    centred[index] = vectors[index]! - mean[index % dimension]!;
  }
  return centred;
}

/** centredᵀ · centred (dimension × dimension, symmetric), the upper triangle summed row by row. */
function covarianceOf(centred: Float64Array, count: number, dimension: number): Float64Array {
  const result = new Float64Array(dimension * dimension);
  for (let row = 0; row < count; row += 1) {
    const offset = row * dimension;
    for (let i = 0; i < dimension; i += 1) {
      const value = centred[offset + i]!;
      if (value === 0) continue;
      const target = i * dimension;
      for (let j = i; j < dimension; j += 1) result[target + j]! += value * centred[offset + j]!;
    }
  }
  for (let i = 0; i < dimension; i += 1) {
    for (let j = i + 1; j < dimension; j += 1) result[j * dimension + i] = result[i * dimension + j]!;
  }
  return result;
}

/** data (count × dimension) · vector → count scores. */
function multiply(data: Float64Array, count: number, dimension: number, vector: Float64Array): Float64Array {
  const scores = new Float64Array(count);
  for (let row = 0; row < count; row += 1) {
    let sum = 0;
    const offset = row * dimension;
    for (let column = 0; column < dimension; column += 1) sum += data[offset + column]! * vector[column]!;
    scores[row] = sum;
  }
  return scores;
}

/** dataᵀ · scores → a vector of `dimension` values. */
function multiplyTransposed(
  data: Float64Array,
  count: number,
  dimension: number,
  scores: Float64Array,
): Float64Array {
  const result = new Float64Array(dimension);
  for (let row = 0; row < count; row += 1) {
    const score = scores[row]!;
    const offset = row * dimension;
    for (let column = 0; column < dimension; column += 1) result[column]! += data[offset + column]! * score;
  }
  return result;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += a[index]! * b[index]!;
  return sum;
}

function sumOfSquares(values: number[]): number {
  return values.reduce((sum, value) => sum + value * value, 0);
}

/** Gram–Schmidt; a vector that collapses (the data spans fewer dimensions) becomes all zeros. */
function orthonormalise(vectors: Float64Array[]): Float64Array[] {
  const result: Float64Array[] = [];
  for (const vector of vectors) {
    const copy = Float64Array.from(vector);
    for (const previous of result) {
      const along = dot(copy, previous);
      for (let index = 0; index < copy.length; index += 1) copy[index]! -= along * previous[index]!;
    }
    const norm = Math.sqrt(dot(copy, copy));
    result.push(norm > 1e-12 ? copy.map((value) => value / norm) : new Float64Array(copy.length));
  }
  return result;
}

/** A fixed, non-degenerate start, so results do not depend on a random seed. */
function startVector(dimension: number, seed: number): Float64Array {
  return Float64Array.from(
    { length: dimension },
    (_, index) => Math.sin((index + 1) * seed * 12.9898) + 0.01 * seed,
  );
}

interface Axis {
  vector: Float64Array;
  /** The variance along it: the eigenvalue, as a sum of squares. */
  variance: number;
}

/** The 2×2 eigenproblem of the covariance restricted to the basis, largest variance first. */
function rayleighRitz(
  basis: Float64Array[],
  covarianceTimes: (vector: Float64Array) => Float64Array,
): [Axis, Axis] {
  const [u, v] = basis as [Float64Array, Float64Array];
  const cu = covarianceTimes(u);
  const cv = covarianceTimes(v);
  const a = dot(u, cu);
  const b = dot(u, cv);
  const d = dot(v, cv);
  const half = (a - d) / 2;
  const root = Math.sqrt(half * half + b * b);
  const first = (a + d) / 2 + root;
  const second = (a + d) / 2 - root;
  // The rotation angle that diagonalises [[a, b], [b, d]].
  const angle = 0.5 * Math.atan2(2 * b, a - d);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const rotate = (p: number, q: number) => u.map((value, index) => p * value + q * v[index]!);
  return [
    { vector: rotate(cos, sin), variance: Math.max(0, first) },
    { vector: rotate(-sin, cos), variance: Math.max(0, second) },
  ];
}

function fixSign(vector: Float64Array): Float64Array {
  let largest = 0;
  for (const value of vector) if (Math.abs(value) > Math.abs(largest)) largest = value;
  return largest < 0 ? vector.map((value) => -value) : vector;
}

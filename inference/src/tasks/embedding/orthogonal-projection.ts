import { seededGaussian } from "@tessera/seeded-random";

/** A fixed linear map from `inputDimension` to `outputDimension` values. */
export interface Projection {
  inputDimension: number;
  outputDimension: number;
  project(vector: ArrayLike<number>): Float64Array;
}

const cache = new Map<string, Projection>();

/**
 * A random orthogonal projection drawn from `seed`: orthonormal rows when reducing (distances
 * shrink evenly, as Johnson–Lindenstrauss promises for random directions), orthonormal columns
 * when widening (distances kept exactly). Built once per shape and seed, then cached.
 */
export function orthogonalProjection(
  inputDimension: number,
  outputDimension: number,
  seed: number,
): Projection {
  const key = `${inputDimension}:${outputDimension}:${seed}`;
  let projection = cache.get(key);
  if (!projection) {
    projection = buildProjection(inputDimension, outputDimension, seed);
    cache.set(key, projection);
  }
  return projection;
}

function buildProjection(inputDimension: number, outputDimension: number, seed: number): Projection {
  const reducing = outputDimension <= inputDimension;
  // `basis` holds min(in, out) orthonormal vectors of length max(in, out), end to end.
  const basis = orthonormalVectors(
    Math.min(inputDimension, outputDimension),
    Math.max(inputDimension, outputDimension),
    seed,
  );
  return {
    inputDimension,
    outputDimension,
    project(vector) {
      if (vector.length !== inputDimension) {
        throw new RangeError(`The projection takes ${inputDimension} values; got ${vector.length}`);
      }
      const result = new Float64Array(outputDimension);
      if (reducing) {
        for (let row = 0; row < outputDimension; row++) {
          let sum = 0;
          const start = row * inputDimension;
          for (let index = 0; index < inputDimension; index++) sum += basis[start + index]! * vector[index]!;
          result[row] = sum;
        }
      } else {
        for (let column = 0; column < inputDimension; column++) {
          const weight = vector[column]!;
          const start = column * outputDimension;
          for (let index = 0; index < outputDimension; index++)
            result[index]! += weight * basis[start + index]!;
        }
      }
      return result;
    },
  };
}

/**
 * Gaussian vectors made orthonormal by modified Gram–Schmidt, laid end to end in one array.
 * Independent Gaussian vectors are well conditioned, so one pass leaves them orthogonal to
 * within ~1e-14 and a second would only double the (one-off) cost.
 */
function orthonormalVectors(count: number, length: number, seed: number): Float64Array {
  const gaussian = seededGaussian(seed);
  const vectors: Float64Array[] = [];
  for (let index = 0; index < count; index++) {
    const vector = Float64Array.from({ length }, gaussian);
    for (const previous of vectors) {
      const overlap = dot(previous, vector);
      for (let position = 0; position < length; position++)
        vector[position]! -= overlap * previous[position]!;
    }
    const norm = Math.sqrt(dot(vector, vector));
    for (let position = 0; position < length; position++) vector[position]! /= norm;
    vectors.push(vector);
  }
  const flat = new Float64Array(count * length);
  vectors.forEach((vector, index) => flat.set(vector, index * length));
  return flat;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += a[index]! * b[index]!;
  return sum;
}

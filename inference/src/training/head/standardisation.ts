/** Per-feature standardisation: (x - mean) · scale. */
export interface Standardisation {
  mean: Float32Array;
  scale: Float32Array;
}

/** Below this spread a feature counts as constant. */
const constantSpread = 1e-6;

/**
 * Mean and 1/std of each feature over `features` (population std). A feature constant over the
 * training set keeps scale 1 rather than 1/1e-6: it carries nothing to learn from, and a huge
 * scale would blow up the tiny differences augmented copies, validation and test samples show.
 */
export function fitStandardisation(features: readonly Float32Array[], dimension: number): Standardisation {
  const sum = new Float64Array(dimension);
  for (const vector of features) for (let i = 0; i < dimension; i++) sum[i]! += vector[i]!;
  const mean = sum.map((total) => total / features.length);
  const squares = new Float64Array(dimension);
  for (const vector of features) {
    for (let i = 0; i < dimension; i++) {
      const difference = vector[i]! - mean[i]!;
      squares[i]! += difference * difference;
    }
  }
  const scale = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) {
    const spread = Math.sqrt(squares[i]! / features.length);
    scale[i] = spread < constantSpread ? 1 : 1 / spread;
  }
  return { mean: Float32Array.from(mean), scale };
}

/** Writes the standardised `vector` into `target` from `offset`. */
export function standardiseInto(
  vector: Float32Array,
  standardisation: Standardisation,
  target: Float32Array,
  offset: number,
): void {
  const { mean, scale } = standardisation;
  for (let i = 0; i < mean.length; i++) target[offset + i] = (vector[i]! - mean[i]!) * scale[i]!;
}

/** The vector scaled to unit Euclidean length, as float32; a zero vector stays zero. */
export function l2Normalised(vector: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let index = 0; index < vector.length; index++) sum += vector[index]! * vector[index]!;
  const result = Float32Array.from(vector);
  if (sum === 0) return result;
  const scale = 1 / Math.sqrt(sum);
  for (let index = 0; index < result.length; index++) result[index]! *= scale;
  return result;
}

/**
 * A histogram as Hellinger coordinates: each bin's share of the total, square-rooted. The result
 * has unit length, and large bins no longer drown out small ones in Euclidean or cosine distance.
 */
export function hellinger(histogram: Float64Array): Float64Array {
  let total = 0;
  for (const count of histogram) total += count;
  if (total <= 0) return new Float64Array(histogram.length);
  return histogram.map((count) => Math.sqrt(count / total));
}

/**
 * Scalar features (means, spreads) scaled by a fixed `scale`, signed-square-rooted and clipped to
 * [-1, 1], then divided by √length so the block's length never exceeds 1 whatever the image.
 */
export function boundedScalars(values: readonly number[], scale: number): Float64Array {
  const shrink = 1 / Math.sqrt(values.length);
  return Float64Array.from(values, (value) => {
    const scaled = value / scale;
    return Math.sign(scaled) * Math.min(1, Math.sqrt(Math.abs(scaled))) * shrink;
  });
}

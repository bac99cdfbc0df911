import type { LabelledFeatures } from "../../inference/src/training/contracts";

/**
 * Accuracy on `evaluated` of the nearest class mean of `train` (Euclidean distance). With
 * `standardise`, every dimension is first scaled to the training split's mean 0 and variance 1,
 * as the trained head sees its inputs.
 */
export function nearestCentroidAccuracy(
  train: LabelledFeatures,
  evaluated: LabelledFeatures,
  classes: number,
  standardise: boolean,
): number {
  const dimension = train.features[0]?.length ?? 0;
  const mean = new Float64Array(dimension);
  const scale = new Float64Array(dimension).fill(1);
  if (standardise) {
    for (const vector of train.features) for (let d = 0; d < dimension; d++) mean[d]! += vector[d]!;
    for (let d = 0; d < dimension; d++) mean[d]! /= train.features.length;
    const variance = new Float64Array(dimension);
    for (const vector of train.features) {
      for (let d = 0; d < dimension; d++) variance[d]! += (vector[d]! - mean[d]!) ** 2;
    }
    for (let d = 0; d < dimension; d++) {
      const deviation = Math.sqrt(variance[d]! / train.features.length);
      scale[d] = deviation > 1e-12 ? 1 / deviation : 0;
    }
  }
  const scaled = (vector: Float32Array) =>
    Float64Array.from(vector, (value, d) => (value - mean[d]!) * scale[d]!);

  const centroids = Array.from({ length: classes }, () => new Float64Array(dimension));
  const counts = new Uint32Array(classes);
  train.features.forEach((vector, index) => {
    const label = train.labels[index]!;
    const centroid = centroids[label]!;
    scaled(vector).forEach((value, d) => (centroid[d]! += value));
    counts[label]! += 1;
  });
  centroids.forEach((centroid, label) =>
    centroid.forEach((_, d) => (centroid[d]! /= Math.max(1, counts[label]!))),
  );

  let correct = 0;
  evaluated.features.forEach((vector, index) => {
    const point = scaled(vector);
    let best = -1;
    let bestDistance = Infinity;
    centroids.forEach((centroid, label) => {
      if (counts[label] === 0) return;
      let distance = 0;
      for (let d = 0; d < dimension; d++) distance += (point[d]! - centroid[d]!) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [label, distance];
    });
    if (best === evaluated.labels[index]) correct += 1;
  });
  return correct / evaluated.features.length;
}

import type { DenseLayer, HeadWeights } from "../../../src/training/contracts";

/** A seeded generator in [0, 1), so every run draws the same head. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** Dense layers of `sizes` ([features, hidden…, classes]) with weights in ±1. */
export function randomLayers(sizes: readonly number[], seed: number): DenseLayer[] {
  const next = seededRandom(seed);
  const symmetric = () => next() * 2 - 1;
  return sizes.slice(1).map((outputs, index) => {
    const inputs = sizes[index]!;
    return {
      inputs,
      outputs,
      weights: Float32Array.from({ length: inputs * outputs }, symmetric),
      bias: Float32Array.from({ length: outputs }, symmetric),
    };
  });
}

/** Mean and 1/std of each feature over `vectors`, as a trainer standardises (constant → scale 1). */
export function standardisationOf(
  vectors: readonly Float32Array[],
): Pick<HeadWeights, "inputMean" | "inputScale"> {
  const dimension = vectors[0]!.length;
  const inputMean = new Float32Array(dimension);
  const inputScale = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) {
    const values = vectors.map((vector) => vector[i]!);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const spread = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
    inputMean[i] = mean;
    inputScale[i] = spread < 1e-6 ? 1 : 1 / spread;
  }
  return { inputMean, inputScale };
}

/**
 * The head's forward pass in float64, written out here rather than taken from the trainer:
 * standardise, each dense layer (ReLU between), softmax.
 */
export function referenceProbabilities(head: HeadWeights, features: Float32Array): number[] {
  let values = Array.from(features, (value, i) => (value - head.inputMean[i]!) * head.inputScale[i]!);
  head.layers.forEach((layer, index) => {
    const scores = Array.from({ length: layer.outputs }, (_, row) => {
      let sum = layer.bias[row]!;
      for (let column = 0; column < layer.inputs; column++) {
        sum += layer.weights[row * layer.inputs + column]! * values[column]!;
      }
      return sum;
    });
    values = index < head.layers.length - 1 ? scores.map((score) => Math.max(0, score)) : scores;
  });
  const top = Math.max(...values);
  const exps = values.map((value) => Math.exp(value - top));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

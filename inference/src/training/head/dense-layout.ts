import type { DenseLayer } from "../contracts";
import { RandomPurpose, SeededRandom } from "./random";

/** Where one dense layer's weights (outputs × inputs, row-major) and bias sit in the flat array. */
export interface LayerSlot {
  inputs: number;
  outputs: number;
  weightOffset: number;
  biasOffset: number;
}

/**
 * All of a head's parameters live in one flat Float32Array so the optimizer, the checkpoint and
 * the best-weights copy each handle a single array.
 */
export interface DenseLayout {
  /** Features, hidden units of each hidden layer…, classes. */
  sizes: readonly number[];
  slots: LayerSlot[];
  parameterCount: number;
}

export function headSizes(
  features: number,
  hiddenLayers: number,
  hiddenUnits: number,
  classes: number,
): number[] {
  return [features, ...Array.from({ length: hiddenLayers }, () => hiddenUnits), classes];
}

export function denseLayout(sizes: readonly number[]): DenseLayout {
  const slots: LayerSlot[] = [];
  let offset = 0;
  for (let index = 1; index < sizes.length; index++) {
    const inputs = sizes[index - 1]!;
    const outputs = sizes[index]!;
    slots.push({ inputs, outputs, weightOffset: offset, biasOffset: offset + inputs * outputs });
    offset += inputs * outputs + outputs;
  }
  return { sizes, slots, parameterCount: offset };
}

/** The layers as views into `parameters` (no copy). */
export function layerViews(layout: DenseLayout, parameters: Float32Array): DenseLayer[] {
  return layout.slots.map((slot) => ({
    inputs: slot.inputs,
    outputs: slot.outputs,
    weights: parameters.subarray(slot.weightOffset, slot.biasOffset),
    bias: parameters.subarray(slot.biasOffset, slot.biasOffset + slot.outputs),
  }));
}

/** He initialisation (normal, variance 2 / inputs), zero biases. */
export function initialParameters(layout: DenseLayout, seed: number): Float32Array {
  const random = new SeededRandom(seed, RandomPurpose.initialWeights);
  const parameters = new Float32Array(layout.parameterCount);
  for (const slot of layout.slots) {
    const deviation = Math.sqrt(2 / slot.inputs);
    for (let index = slot.weightOffset; index < slot.biasOffset; index++) {
      parameters[index] = random.nextNormal() * deviation;
    }
  }
  return parameters;
}

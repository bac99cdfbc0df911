import type { LayerSlot } from "./dense-layout";

/*
 * The hot loops of the head, on row-major batches in flat Float32Arrays. Each works on the first
 * `rows` rows of its buffers so one set of buffers serves every batch, the last short one too.
 * Sums run in float64 locals.
 */

/** output[r, o] = bias[o] + Σ_i input[r, i] · weights[o, i] */
export function affineForward(
  input: Float32Array,
  rows: number,
  parameters: Float32Array,
  slot: LayerSlot,
  output: Float32Array,
): void {
  const { inputs, outputs, weightOffset, biasOffset } = slot;
  // Four rows at a time share each weight load: a third faster than row by row.
  const blocked = rows - (rows % 4);
  for (let row = 0; row < blocked; row += 4) {
    const x0 = row * inputs;
    const x1 = x0 + inputs;
    const x2 = x1 + inputs;
    const x3 = x2 + inputs;
    const y = row * outputs;
    for (let unit = 0; unit < outputs; unit++) {
      const w = weightOffset + unit * inputs;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < inputs; i++) {
        const weight = parameters[w + i]!;
        s0 += input[x0 + i]! * weight;
        s1 += input[x1 + i]! * weight;
        s2 += input[x2 + i]! * weight;
        s3 += input[x3 + i]! * weight;
      }
      const bias = parameters[biasOffset + unit]!;
      output[y + unit] = bias + s0;
      output[y + outputs + unit] = bias + s1;
      output[y + 2 * outputs + unit] = bias + s2;
      output[y + 3 * outputs + unit] = bias + s3;
    }
  }
  for (let row = blocked; row < rows; row++) {
    const x = row * inputs;
    const y = row * outputs;
    for (let unit = 0; unit < outputs; unit++) {
      const w = weightOffset + unit * inputs;
      let sum = 0;
      for (let i = 0; i < inputs; i++) sum += input[x + i]! * parameters[w + i]!;
      output[y + unit] = parameters[biasOffset + unit]! + sum;
    }
  }
}

/** ReLU in place; with `mask` (inverted dropout: 0 or 1 / (1 - rate)) also drops units. */
export function reluForward(values: Float32Array, count: number, mask: Float32Array | null): void {
  if (mask === null) {
    for (let i = 0; i < count; i++) if (values[i]! < 0) values[i] = 0;
    return;
  }
  for (let i = 0; i < count; i++) values[i] = values[i]! > 0 ? values[i]! * mask[i]! : 0;
}

/** gradients[weights] += Σ_r delta[r, o] · input[r, i]; gradients[bias] += Σ_r delta[r, o] */
export function accumulateGradients(
  delta: Float32Array,
  input: Float32Array,
  rows: number,
  slot: LayerSlot,
  gradients: Float32Array,
): void {
  const { inputs, outputs, weightOffset, biasOffset } = slot;
  const tail = inputs - (inputs % 4);
  for (let row = 0; row < rows; row++) {
    const x = row * inputs;
    const d = row * outputs;
    for (let unit = 0; unit < outputs; unit++) {
      const g = delta[d + unit]!;
      if (g === 0) continue;
      gradients[biasOffset + unit] = gradients[biasOffset + unit]! + g;
      const w = weightOffset + unit * inputs;
      let i = 0;
      for (; i < tail; i += 4) {
        gradients[w + i] = gradients[w + i]! + g * input[x + i]!;
        gradients[w + i + 1] = gradients[w + i + 1]! + g * input[x + i + 1]!;
        gradients[w + i + 2] = gradients[w + i + 2]! + g * input[x + i + 2]!;
        gradients[w + i + 3] = gradients[w + i + 3]! + g * input[x + i + 3]!;
      }
      for (; i < inputs; i++) gradients[w + i] = gradients[w + i]! + g * input[x + i]!;
    }
  }
}

/**
 * The gradient with respect to this layer's input, through the ReLU (and dropout mask) that
 * produced that input: `activations` are those inputs after ReLU and dropout, so a unit passed
 * the gradient exactly where its activation is above 0.
 */
export function backpropagate(
  delta: Float32Array,
  rows: number,
  parameters: Float32Array,
  slot: LayerSlot,
  activations: Float32Array,
  mask: Float32Array | null,
  inputDelta: Float32Array,
): void {
  const { inputs, outputs, weightOffset } = slot;
  inputDelta.fill(0, 0, rows * inputs);
  for (let row = 0; row < rows; row++) {
    const x = row * inputs;
    const d = row * outputs;
    for (let unit = 0; unit < outputs; unit++) {
      const g = delta[d + unit]!;
      if (g === 0) continue;
      const w = weightOffset + unit * inputs;
      for (let i = 0; i < inputs; i++) inputDelta[x + i] = inputDelta[x + i]! + g * parameters[w + i]!;
    }
  }
  const count = rows * inputs;
  for (let i = 0; i < count; i++) {
    const active = activations[i]! > 0;
    inputDelta[i] = active ? (mask === null ? inputDelta[i]! : inputDelta[i]! * mask[i]!) : 0;
  }
}

import type { DenseLayout } from "./dense-layout";

export type OptimizerKind = "ADAM" | "SGD";

/**
 * ADAM keeps both moment estimates and counts its steps for bias correction; SGD keeps its
 * momentum buffer in `first` and leaves `second` empty.
 */
export interface OptimizerState {
  kind: OptimizerKind;
  step: number;
  first: Float32Array;
  second: Float32Array;
}

export interface UpdateSettings {
  learningRate: number;
  momentum: number;
  weightDecay: number;
}

const beta1 = 0.9;
const beta2 = 0.999;
const epsilon = 1e-8;

export function newOptimizerState(kind: OptimizerKind, parameterCount: number): OptimizerState {
  return {
    kind,
    step: 0,
    first: new Float32Array(parameterCount),
    second: new Float32Array(kind === "ADAM" ? parameterCount : 0),
  };
}

/**
 * One optimizer step. Weight decay applies to weights, not biases: decoupled for ADAM (AdamW:
 * the weights shrink by lr·decay, apart from the adaptive step), as an L2 term added to the
 * gradient for SGD.
 */
export function applyUpdate(
  state: OptimizerState,
  layout: DenseLayout,
  parameters: Float32Array,
  gradients: Float32Array,
  settings: UpdateSettings,
): void {
  state.step++;
  const { learningRate, weightDecay } = settings;
  for (const slot of layout.slots) {
    const end = slot.biasOffset + slot.outputs;
    if (state.kind === "ADAM") {
      if (weightDecay > 0) {
        const shrink = 1 - learningRate * weightDecay;
        for (let i = slot.weightOffset; i < slot.biasOffset; i++) parameters[i] = parameters[i]! * shrink;
      }
      adamStep(state, parameters, gradients, learningRate, slot.weightOffset, end);
    } else {
      if (weightDecay > 0) {
        for (let i = slot.weightOffset; i < slot.biasOffset; i++) {
          gradients[i] = gradients[i]! + weightDecay * parameters[i]!;
        }
      }
      sgdStep(state, parameters, gradients, learningRate, settings.momentum, slot.weightOffset, end);
    }
  }
}

function adamStep(
  state: OptimizerState,
  parameters: Float32Array,
  gradients: Float32Array,
  learningRate: number,
  from: number,
  to: number,
): void {
  const { first, second, step } = state;
  const firstCorrection = 1 / (1 - beta1 ** step);
  const secondCorrection = 1 / (1 - beta2 ** step);
  for (let i = from; i < to; i++) {
    const gradient = gradients[i]!;
    const m = beta1 * first[i]! + (1 - beta1) * gradient;
    const v = beta2 * second[i]! + (1 - beta2) * gradient * gradient;
    first[i] = m;
    second[i] = v;
    parameters[i] =
      parameters[i]! - (learningRate * m * firstCorrection) / (Math.sqrt(v * secondCorrection) + epsilon);
  }
}

/** Momentum as PyTorch writes it: velocity = momentum · velocity + gradient. */
function sgdStep(
  state: OptimizerState,
  parameters: Float32Array,
  gradients: Float32Array,
  learningRate: number,
  momentum: number,
  from: number,
  to: number,
): void {
  const velocity = state.first;
  for (let i = from; i < to; i++) {
    const v = momentum * velocity[i]! + gradients[i]!;
    velocity[i] = v;
    parameters[i] = parameters[i]! - learningRate * v;
  }
}

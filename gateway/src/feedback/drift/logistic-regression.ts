import type { SampleMatrix } from "./sample-matrix";

/**
 * L2-regularised logistic regression as pure functions over typed arrays. Parameters are one
 * Float64Array θ = [w₁ … w_d, b]: the weights, then the bias (which is not regularised).
 */

export interface LogisticFitOptions {
  /** λ of (λ/2)·‖w‖² added to the mean log-loss. */
  l2: number;
  maxIterations: number;
  /** Stops once every gradient component is below this. */
  tolerance: number;
}

/**
 * The drift test needs only the order of held-out logits (its AUC): a gradient below 1e-4 no
 * longer reorders them, and stopping there takes a third of the time 1e-6 would.
 */
export const defaultLogisticFit: LogisticFitOptions = { l2: 1e-2, maxIterations: 200, tolerance: 1e-4 };

/** The logit θ·[x, 1] of every row. */
export function logits(theta: Float64Array, samples: SampleMatrix): Float64Array {
  const { rows, columns, data } = samples;
  const result = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    let z = theta[columns]!;
    for (let c = 0; c < columns; c++) z += theta[c]! * data[row * columns + c]!;
    result[row] = z;
  }
  return result;
}

/**
 * The objective L(θ) = mean over rows of log(1 + e^z) − y·z, plus (λ/2)‖w‖², and its gradient
 * ∂L/∂w = mean((σ(z) − y)·x) + λw, ∂L/∂b = mean(σ(z) − y).
 */
export function logisticLoss(
  theta: Float64Array,
  samples: SampleMatrix,
  labels: Uint8Array,
  l2: number,
): { loss: number; gradient: Float64Array } {
  const { rows, columns, data } = samples;
  const z = logits(theta, samples);
  const gradient = new Float64Array(columns + 1);
  let loss = 0;
  for (let row = 0; row < rows; row++) {
    const value = z[row]!;
    // log(1 + e^z) without overflow on either side.
    loss +=
      (value > 0 ? value + Math.log1p(Math.exp(-value)) : Math.log1p(Math.exp(value))) - labels[row]! * value;
    const residual = sigmoid(value) - labels[row]!;
    for (let c = 0; c < columns; c++) gradient[c]! += residual * data[row * columns + c]!;
    gradient[columns]! += residual;
  }
  let penalty = 0;
  for (let c = 0; c <= columns; c++) gradient[c]! /= rows;
  for (let c = 0; c < columns; c++) {
    penalty += theta[c]! * theta[c]!;
    gradient[c]! += l2 * theta[c]!;
  }
  return { loss: loss / rows + (l2 / 2) * penalty, gradient };
}

/**
 * Gradient descent with a backtracking (Armijo) line search from θ = 0: deterministic, and the
 * objective is convex, so it needs no restarts. The step grows again after an accepted one, which
 * keeps it near the largest safe step without knowing the curvature.
 */
export function fitLogisticRegression(
  samples: SampleMatrix,
  labels: Uint8Array,
  options: LogisticFitOptions = defaultLogisticFit,
): Float64Array {
  let theta = new Float64Array(samples.columns + 1);
  let current = logisticLoss(theta, samples, labels, options.l2);
  let step = 1;
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    const { gradient } = current;
    let largest = 0;
    let squaredNorm = 0;
    for (const value of gradient) {
      largest = Math.max(largest, Math.abs(value));
      squaredNorm += value * value;
    }
    if (largest < options.tolerance) break;
    for (;;) {
      const candidate = theta.map((value, index) => value - step * gradient[index]!);
      const next = logisticLoss(candidate, samples, labels, options.l2);
      if (next.loss <= current.loss - 0.5 * step * squaredNorm) {
        theta = candidate;
        current = next;
        step *= 2;
        break;
      }
      step /= 2;
      if (step < 1e-12) return theta;
    }
  }
  return theta;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

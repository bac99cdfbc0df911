/** A smooth objective: its value and gradient at `x` (the gradient written into `gradient`). */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface MinimiseOptions {
  /** Iterations at most: bounds the work at `maxIterations` × (a few evaluations). */
  maxIterations: number;
  /** Stops once the gradient's largest component is below this. */
  gradientTolerance: number;
  /** Correction pairs kept (the "limited memory"). */
  memory: number;
}

export interface Minimum {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

export const defaultMinimiseOptions: MinimiseOptions = {
  maxIterations: 100,
  gradientTolerance: 1e-6,
  memory: 8,
};

/** Armijo's sufficient-decrease constant and the step's shrink factor when it is not met. */
const ARMIJO = 1e-4;
const SHRINK = 0.5;
const MAX_BACKTRACKS = 40;

/**
 * L-BFGS (Nocedal & Wright, algorithm 7.4: the two-loop recursion) with a backtracking Armijo line
 * search. Deterministic: no randomness, so the same data always gives the same parameters. The
 * adjustments' objectives are convex, where this needs no stronger (Wolfe) line search: a pair
 * with non-positive curvature is simply not kept.
 */
export function minimise(
  objective: Objective,
  start: Float64Array,
  options = defaultMinimiseOptions,
): Minimum {
  const size = start.length;
  let x = Float64Array.from(start);
  let gradient = new Float64Array(size);
  let value = objective(x, gradient);
  const steps: Float64Array[] = [];
  const changes: Float64Array[] = [];
  const rhos: number[] = [];
  const direction = new Float64Array(size);
  const candidate = new Float64Array(size);
  const candidateGradient = new Float64Array(size);
  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    if (maxAbs(gradient) < options.gradientTolerance) {
      return { x, value, iterations: iteration, converged: true };
    }
    searchDirection(gradient, steps, changes, rhos, direction);
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // Not a descent direction (lost curvature information): start over from steepest descent.
      steps.length = changes.length = rhos.length = 0;
      for (let i = 0; i < size; i++) direction[i] = -gradient[i]!;
      slope = -dot(gradient, gradient);
    }
    // The first step has no curvature to scale it: keep it short.
    let step = steps.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let next = Number.NaN;
    for (let backtrack = 0; backtrack < MAX_BACKTRACKS; backtrack++) {
      for (let i = 0; i < size; i++) candidate[i] = x[i]! + step * direction[i]!;
      next = objective(candidate, candidateGradient);
      if (next <= value + ARMIJO * step * slope) break;
      step *= SHRINK;
    }
    if (!(next <= value)) return { x, value, iterations: iteration, converged: false };
    const s = new Float64Array(size);
    const y = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      s[i] = candidate[i]! - x[i]!;
      y[i] = candidateGradient[i]! - gradient[i]!;
    }
    const curvature = dot(s, y);
    if (curvature > 1e-12) {
      steps.push(s);
      changes.push(y);
      rhos.push(1 / curvature);
      if (steps.length > options.memory) {
        steps.shift();
        changes.shift();
        rhos.shift();
      }
    }
    x = Float64Array.from(candidate);
    gradient = Float64Array.from(candidateGradient);
    value = next;
  }
  return {
    x,
    value,
    iterations: options.maxIterations,
    converged: maxAbs(gradient) < options.gradientTolerance,
  };
}

/** direction = −H·gradient, H the inverse-Hessian estimate from the kept pairs. */
function searchDirection(
  gradient: Float64Array,
  steps: Float64Array[],
  changes: Float64Array[],
  rhos: number[],
  direction: Float64Array,
): void {
  const q = Float64Array.from(gradient);
  const alphas = new Float64Array(steps.length);
  for (let j = steps.length - 1; j >= 0; j--) {
    alphas[j] = rhos[j]! * dot(steps[j]!, q);
    axpy(-alphas[j]!, changes[j]!, q);
  }
  const last = steps.length - 1;
  const gamma = last >= 0 ? dot(steps[last]!, changes[last]!) / dot(changes[last]!, changes[last]!) : 1;
  for (let i = 0; i < q.length; i++) q[i] = q[i]! * gamma;
  for (let j = 0; j < steps.length; j++) {
    const beta = rhos[j]! * dot(changes[j]!, q);
    axpy(alphas[j]! - beta, steps[j]!, q);
  }
  for (let i = 0; i < q.length; i++) direction[i] = -q[i]!;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i]! + alpha * x[i]!;
}

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max;
}

import type { FieldGrid } from "./field-grid";

/**
 * The optimiser's state beside the grid and the per-thread gradient buffers. Each phase works on
 * its own z-slices (dealt out to the workers in turn), so threads never write the same value and
 * the order of every sum is fixed: the result depends on the thread count, never on timing.
 */
export interface OptimiserState {
  grid: FieldGrid;
  densityFirst: Float32Array;
  densitySecond: Float32Array;
  colourFirst: Float32Array;
  colourSecond: Float32Array;
  /** One per worker thread, summed in worker order. */
  gradients: Array<{ density: Float32Array; colour: Float32Array }>;
  /** Grid points some sample of this batch touched (only they are updated: sparse Adam). */
  touched: Uint8Array;
}

/**
 * Sums the threads' gradients of the touched points of z-slices zStart, zStart + zStride, … into
 * the first buffer and adds the total-variation gradient λ·Σ(x − neighbour) over the 6 neighbours.
 * Returns the touched points' share of the regulariser, λ/4·Σ(x − neighbour)². Slices are dealt
 * out in turn because the touched points crowd the middle of the grid: slabs would leave one
 * thread waiting.
 */
export function reduceGradients(
  state: OptimiserState,
  zStart: number,
  zStride: number,
  weightDensity: number,
  weightColour: number,
): number {
  const { grid, gradients, touched } = state;
  const { nx, ny, nz, channels, density, colour } = grid;
  const plane = nx * ny;
  const first = gradients[0]!;
  const firstDensity = first.density;
  const firstColour = first.colour;
  let regulariser = 0;
  for (let z = zStart; z < nz; z += zStride) {
    for (let y = 0; y < ny; y++) {
      // Neighbour strides, 0 where the neighbour would fall outside the grid (a zero difference).
      const down = z > 0 ? plane : 0;
      const up = z < nz - 1 ? plane : 0;
      const south = y > 0 ? nx : 0;
      const north = y < ny - 1 ? nx : 0;
      let v = z * plane + y * nx;
      for (let x = 0; x < nx; x++, v++) {
        if (touched[v] === 0) continue;
        for (let w = 1; w < gradients.length; w++) {
          const other = gradients[w]!;
          firstDensity[v] = firstDensity[v]! + other.density[v]!;
          other.density[v] = 0;
          for (let c = v * channels; c < (v + 1) * channels; c++) {
            firstColour[c] = firstColour[c]! + other.colour[c]!;
            other.colour[c] = 0;
          }
        }
        const west = x > 0 ? 1 : 0;
        const east = x < nx - 1 ? 1 : 0;
        squares = 0;
        firstDensity[v] =
          firstDensity[v]! + weightDensity * differences(density, v, 1, west, east, south, north, down, up);
        regulariser += (weightDensity / 4) * squares;
        squares = 0;
        for (let at = v * channels; at < (v + 1) * channels; at++) {
          firstColour[at] =
            firstColour[at]! +
            weightColour * differences(colour, at, channels, west, east, south, north, down, up);
        }
        regulariser += (weightColour / 4) * squares;
      }
    }
  }
  return regulariser;
}

/** Running Σ(difference²) of `differences`, kept outside so the hot loop allocates nothing. */
let squares = 0;

/** Σ(x − neighbour) over the 6 neighbours at the given strides (0: no neighbour on that side). */
function differences(
  values: Float32Array,
  at: number,
  scale: number,
  west: number,
  east: number,
  south: number,
  north: number,
  down: number,
  up: number,
): number {
  const centre = values[at]!;
  const a = centre - values[at - west * scale]!;
  const b = centre - values[at + east * scale]!;
  const c = centre - values[at - south * scale]!;
  const d = centre - values[at + north * scale]!;
  const e = centre - values[at - down * scale]!;
  const f = centre - values[at + up * scale]!;
  squares += a * a + b * b + c * c + d * d + e * e + f * f;
  return a + b + c + d + e + f;
}

export interface AdamStep {
  learningRateDensity: number;
  learningRateColour: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1-based count of updates since the moments were last reset (bias correction). */
  t: number;
}

/** Adam on the touched points of z-slices zStart, zStart + zStride, …; clears their gradient and touched mark. */
export function applyAdam(state: OptimiserState, zStart: number, zStride: number, step: AdamStep): void {
  const { grid, touched } = state;
  const { nx, ny, channels } = grid;
  const gradients = state.gradients[0]!;
  const correction1 = 1 - step.beta1 ** step.t;
  const correction2 = 1 - step.beta2 ** step.t;
  const plane = nx * ny;
  for (let z = zStart; z < grid.nz; z += zStride) {
    for (let v = z * plane; v < (z + 1) * plane; v++) {
      if (touched[v] === 0) continue;
      touched[v] = 0;
      adam(
        grid.density,
        state.densityFirst,
        state.densitySecond,
        gradients.density,
        v,
        step.learningRateDensity,
      );
      for (let c = v * channels; c < (v + 1) * channels; c++) {
        adam(
          grid.colour,
          state.colourFirst,
          state.colourSecond,
          gradients.colour,
          c,
          step.learningRateColour,
        );
      }
    }
  }

  function adam(
    values: Float32Array,
    first: Float32Array,
    second: Float32Array,
    gradient: Float32Array,
    at: number,
    learningRate: number,
  ): void {
    const g = gradient[at]!;
    gradient[at] = 0;
    const m = step.beta1 * first[at]! + (1 - step.beta1) * g;
    const s = step.beta2 * second[at]! + (1 - step.beta2) * g * g;
    first[at] = m;
    second[at] = s;
    values[at] =
      values[at]! - (learningRate * (m / correction1)) / (Math.sqrt(s / correction2) + step.epsilon);
  }
}

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
 * Returns the touched points' share of the regulariser, λ/4·Σ(x − neighbour)².
 */
export function reduceGradients(
  state: OptimiserState,
  zStart: number,
  zStride: number,
  weightDensity: number,
  weightColour: number,
): number {
  let regulariser = 0;
  for (let z = zStart; z < state.grid.nz; z += zStride) {
    regulariser += reduceSlice(state, z, weightDensity, weightColour);
  }
  return regulariser;
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
  for (let z = zStart; z < state.grid.nz; z += zStride) adamSlice(state, z, step);
}

/**
 * Slices per chunk of the fused pass. Chunks are dealt out to the workers in turn because the
 * touched points crowd the middle of the grid (slabs would leave one thread waiting).
 */
export const CHUNK_SLICES = 8;

/**
 * Reduction and Adam fused, over worker `index`'s chunks of CHUNK_SLICES z-slices: each slice is
 * reduced, and the slice before it updated while its gradients are still in cache. A slice's
 * total variation reads its neighbours' values before their update, so Adam on slice z − 1 waits
 * for the reduction of slice z; the first and last slice of a chunk are read by other workers'
 * chunks and are left to `applyChunkEdges`, after every worker has reduced. Each point's update is
 * the same as `reduceGradients` then `applyAdam`; only the regulariser's sum is split differently.
 */
export function reduceAndApply(
  state: OptimiserState,
  index: number,
  count: number,
  weightDensity: number,
  weightColour: number,
  step: AdamStep,
): number {
  const nz = state.grid.nz;
  let regulariser = 0;
  for (let z0 = index * CHUNK_SLICES; z0 < nz; z0 += count * CHUNK_SLICES) {
    const z1 = Math.min(z0 + CHUNK_SLICES, nz);
    for (let z = z0; z < z1; z++) {
      regulariser += reduceSlice(state, z, weightDensity, weightColour);
      if (z - 1 > z0) adamSlice(state, z - 1, step);
    }
  }
  return regulariser;
}

/** Adam on the first and last slice of worker `index`'s chunks (see `reduceAndApply`). */
export function applyChunkEdges(state: OptimiserState, index: number, count: number, step: AdamStep): void {
  const nz = state.grid.nz;
  for (let z0 = index * CHUNK_SLICES; z0 < nz; z0 += count * CHUNK_SLICES) {
    const last = Math.min(z0 + CHUNK_SLICES, nz) - 1;
    adamSlice(state, z0, step);
    if (last > z0) adamSlice(state, last, step);
  }
}

/**
 * One z-slice of `reduceGradients`. Hand-inlined, with every sum in its original order so results
 * stay bit-identical: a helper returning the difference sum and keeping the squares in a module
 * variable cost a third of the time.
 */
function reduceSlice(state: OptimiserState, z: number, weightDensity: number, weightColour: number): number {
  const { grid, gradients, touched } = state;
  const { nx, ny, nz, channels, density, colour } = grid;
  const plane = nx * ny;
  const firstDensity = gradients[0]!.density;
  const firstColour = gradients[0]!.colour;
  const others = gradients.length;
  const quarterDensity = weightDensity / 4;
  const quarterColour = weightColour / 4;
  // Neighbour strides, 0 where the neighbour would fall outside the grid (a zero difference).
  const down = z > 0 ? plane : 0;
  const up = z < nz - 1 ? plane : 0;
  const cDown = down * channels;
  const cUp = up * channels;
  let regulariser = 0;
  for (let y = 0; y < ny; y++) {
    const south = y > 0 ? nx : 0;
    const north = y < ny - 1 ? nx : 0;
    const cSouth = south * channels;
    const cNorth = north * channels;
    let v = z * plane + y * nx;
    for (let x = 0; x < nx; x++, v++) {
      if (touched[v] === 0) continue;
      const from = v * channels;
      const to = from + channels;
      for (let w = 1; w < others; w++) {
        const od = gradients[w]!.density;
        const oc = gradients[w]!.colour;
        firstDensity[v] = firstDensity[v]! + od[v]!;
        od[v] = 0;
        for (let c = from; c < to; c++) {
          firstColour[c] = firstColour[c]! + oc[c]!;
          oc[c] = 0;
        }
      }
      const west = x > 0 ? 1 : 0;
      const east = x < nx - 1 ? 1 : 0;
      // Σ(x − neighbour) over the 6 neighbours, and Σ(difference²).
      const centre = density[v]!;
      const a = centre - density[v - west]!;
      const b = centre - density[v + east]!;
      const c = centre - density[v - south]!;
      const d = centre - density[v + north]!;
      const e = centre - density[v - down]!;
      const f = centre - density[v + up]!;
      const squares = 0 + (a * a + b * b + c * c + d * d + e * e + f * f);
      firstDensity[v] = firstDensity[v]! + weightDensity * (a + b + c + d + e + f);
      regulariser += quarterDensity * squares;
      const cWest = west * channels;
      const cEast = east * channels;
      let colourSquares = 0;
      for (let at = from; at < to; at++) {
        const centre = colour[at]!;
        const a = centre - colour[at - cWest]!;
        const b = centre - colour[at + cEast]!;
        const c = centre - colour[at - cSouth]!;
        const d = centre - colour[at + cNorth]!;
        const e = centre - colour[at - cDown]!;
        const f = centre - colour[at + cUp]!;
        colourSquares += a * a + b * b + c * c + d * d + e * e + f * f;
        firstColour[at] = firstColour[at]! + weightColour * (a + b + c + d + e + f);
      }
      regulariser += quarterColour * colourSquares;
    }
  }
  return regulariser;
}

function adamSlice(state: OptimiserState, z: number, step: AdamStep): void {
  const { grid, touched } = state;
  const { nx, ny, channels } = grid;
  const gradients = state.gradients[0]!;
  const plane = nx * ny;
  const { beta1, beta2, epsilon } = step;
  const correction1 = 1 - beta1 ** step.t;
  const correction2 = 1 - beta2 ** step.t;
  const rateDensity = step.learningRateDensity;
  const rateColour = step.learningRateColour;
  for (let v = z * plane; v < (z + 1) * plane; v++) {
    if (touched[v] === 0) continue;
    touched[v] = 0;
    // One loop for density (one value) and colour (`channels` values): the same arithmetic.
    for (let pass = 0; pass < 2; pass++) {
      const values = pass === 0 ? grid.density : grid.colour;
      const first = pass === 0 ? state.densityFirst : state.colourFirst;
      const second = pass === 0 ? state.densitySecond : state.colourSecond;
      const gradient = pass === 0 ? gradients.density : gradients.colour;
      const learningRate = pass === 0 ? rateDensity : rateColour;
      const from = pass === 0 ? v : v * channels;
      const to = pass === 0 ? v + 1 : from + channels;
      for (let at = from; at < to; at++) {
        const g = gradient[at]!;
        gradient[at] = 0;
        const m = beta1 * first[at]! + (1 - beta1) * g;
        const s = beta2 * second[at]! + (1 - beta2) * g * g;
        first[at] = m;
        second[at] = s;
        values[at] =
          values[at]! - (learningRate * (m / correction1)) / (Math.sqrt(s / correction2) + epsilon);
      }
    }
  }
}

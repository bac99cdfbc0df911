import { describe, expect, it } from "vitest";
import { allocateState } from "../../../src/reconstruction/radiance-field/field-state";
import {
  applyAdam,
  applyChunkEdges,
  CHUNK_SLICES,
  reduceAndApply,
  reduceGradients,
} from "../../../src/reconstruction/radiance-field/optimiser";
import { SeededStream } from "../../../src/reconstruction/radiance-field/seeded-stream";

/** The full regulariser: (λ/2)·Σ over grid edges of the squared difference. */
function totalVariation(values: Float32Array, channels: number, dims: number[], weight: number): number {
  const [nx, ny, nz] = dims as [number, number, number];
  let sum = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const v = x + nx * (y + ny * z);
        for (const [ok, n] of [
          [x + 1 < nx, v + 1],
          [y + 1 < ny, v + nx],
          [z + 1 < nz, v + nx * ny],
        ] as const) {
          if (!ok) continue;
          for (let c = 0; c < channels; c++)
            sum += (values[v * channels + c]! - values[n * channels + c]!) ** 2;
        }
      }
  return (weight / 2) * sum;
}

describe("total variation and sparse Adam", () => {
  const shape = { nx: 3, ny: 4, nz: 2, voxel: 1 };
  const dims = [3, 4, 2];

  function randomState() {
    const state = allocateState(shape, [0, 0, 0], 3, 2);
    const random = new SeededStream(3);
    state.grid.density.forEach((_, i) => (state.grid.density[i] = random.next() * 2 - 1));
    state.grid.colour.forEach((_, i) => (state.grid.colour[i] = random.next() * 2 - 1));
    return state;
  }

  it("adds the exact gradient of the full regulariser to every touched point", () => {
    const state = randomState();
    state.touched.fill(1);
    reduceGradients(state, 0, 1, 0.3, 0.7);
    for (const [values, gradient, channels, weight] of [
      [state.grid.density, state.gradients[0]!.density, 1, 0.3],
      [state.grid.colour, state.gradients[0]!.colour, 3, 0.7],
    ] as const) {
      for (let at = 0; at < values.length; at++) {
        const original = values[at]!;
        values[at] = original + 1e-2;
        const plus = totalVariation(values, channels, dims, weight);
        values[at] = original - 1e-2;
        const minus = totalVariation(values, channels, dims, weight);
        values[at] = original;
        const step = Math.fround(original + 1e-2) - Math.fround(original - 1e-2);
        expect(gradient[at]!).toBeCloseTo((plus - minus) / step, 4);
      }
    }
  });

  it("sums the threads' gradients and updates only the touched points", () => {
    const state = randomState();
    const before = state.grid.density.slice();
    state.touched[5] = 1;
    state.gradients[0]!.density[5] = 0.25;
    state.gradients[1]!.density[5] = -0.75;
    reduceGradients(state, 0, 1, 0, 0);
    expect(state.gradients[0]!.density[5]).toBe(-0.5);
    expect(state.gradients[1]!.density[5]).toBe(0);
    applyAdam(state, 0, 1, {
      learningRateDensity: 0.1,
      learningRateColour: 0.1,
      beta1: 0.9,
      beta2: 0.99,
      epsilon: 1e-15,
      t: 1,
    });
    // The first bias-corrected Adam step is the learning rate against the gradient's sign.
    expect(state.grid.density[5]).toBeCloseTo(before[5]! + 0.1, 6);
    for (let at = 0; at < before.length; at++) if (at !== 5) expect(state.grid.density[at]).toBe(before[at]);
    expect(state.touched[5]).toBe(0);
    expect(state.gradients[0]!.density[5]).toBe(0);
  });

  it("gives bit-identical grids and moments when the reduction and Adam are fused by chunks", () => {
    // Enough slices for several chunks per worker, so chunk edges meet other workers' chunks.
    const tall = { nx: 3, ny: 2, nz: CHUNK_SLICES * 3 + 3, voxel: 1 };
    const step = {
      learningRateDensity: 0.1,
      learningRateColour: 0.05,
      beta1: 0.9,
      beta2: 0.99,
      epsilon: 1e-15,
      t: 3,
    };
    const states = [0, 1].map(() => {
      const state = allocateState(tall, [0, 0, 0], 3, 2);
      const random = new SeededStream(9);
      for (const values of [
        state.grid.density,
        state.grid.colour,
        state.densityFirst,
        state.colourFirst,
        ...state.gradients.flatMap((buffer) => [buffer.density, buffer.colour]),
      ]) {
        values.forEach((_, i) => (values[i] = random.next() * 2 - 1));
      }
      for (const values of [state.densitySecond, state.colourSecond]) {
        values.forEach((_, i) => (values[i] = random.next()));
      }
      state.touched.forEach((_, i) => (state.touched[i] = random.next() < 0.7 ? 1 : 0));
      return state;
    });
    const [separate, fused] = states as [(typeof states)[0], (typeof states)[0]];
    const workers = 2;
    let expected = 0;
    for (let index = 0; index < workers; index++)
      expected += reduceGradients(separate, index, workers, 0.3, 0.7);
    for (let index = 0; index < workers; index++) applyAdam(separate, index, workers, step);
    let regulariser = 0;
    for (let index = 0; index < workers; index++) {
      regulariser += reduceAndApply(fused, index, workers, 0.3, 0.7, step);
    }
    for (let index = 0; index < workers; index++) applyChunkEdges(fused, index, workers, step);
    for (const key of ["densityFirst", "densitySecond", "colourFirst", "colourSecond", "touched"] as const) {
      expect(fused[key]).toEqual(separate[key]);
    }
    expect(fused.grid.density).toEqual(separate.grid.density);
    expect(fused.grid.colour).toEqual(separate.grid.colour);
    expect(fused.gradients).toEqual(separate.gradients);
    // Only the order of the regulariser's sum differs.
    expect(regulariser).toBeCloseTo(expected, 12);
  });
});

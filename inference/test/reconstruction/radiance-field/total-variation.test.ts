import { describe, expect, it } from "vitest";
import { allocateState } from "../../../src/reconstruction/radiance-field/field-state";
import { applyAdam, reduceGradients } from "../../../src/reconstruction/radiance-field/optimiser";
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
});

import { describe, expect, it } from "vitest";
import type { FieldGrid } from "../../../src/reconstruction/radiance-field/field-grid";
import type { MarchConstants, RayResult } from "../../../src/reconstruction/radiance-field/ray-march";
import { createScratch, marchRay } from "../../../src/reconstruction/radiance-field/ray-march";
import { SeededStream } from "../../../src/reconstruction/radiance-field/seeded-stream";

/**
 * A 4×5×6 grid of random raw values, two rays, and the loss ½·|C − target|² + e·H(opacity) summed
 * over them (H the binary entropy).
 */
const ENTROPY = 0.05;

function tinyField(channels: number, seed: number): FieldGrid {
  const random = new SeededStream(seed);
  const [nx, ny, nz] = [4, 5, 6];
  const points = nx * ny * nz;
  return {
    nx,
    ny,
    nz,
    channels,
    boundsMin: [-1, -1.2, -1.5],
    voxel: 0.6,
    density: Float32Array.from({ length: points }, () => random.next() * 4 - 1),
    colour: Float32Array.from({ length: points * channels }, () => random.next() * 4 - 2),
    occupancy: new Uint8Array((nx - 1) * (ny - 1) * (nz - 1)).fill(1),
    blocks: new Uint8Array(1).fill(1),
  };
}

const constants: MarchConstants = {
  step: 0.13,
  delta: 0.4,
  shift: -1.5,
  background: Float64Array.from([1, 0.9, 0.8]),
  stopTransmittance: 0,
};

const RAYS = [
  { origin: [-3, 0.1, 0.2], direction: [1, 0.05, -0.1], target: [0.2, 0.5, 0.9] },
  { origin: [0.3, -3, -2], direction: [-0.1, 1, 0.6], target: [0.7, 0.1, 0.4] },
];

function loss(grid: FieldGrid, gradients: { density: Float32Array; colour: Float32Array } | null): number {
  let total = 0;
  const out: RayResult = { r: 0, g: 0, b: 0, opacity: 0, depth: 0, samples: 0 };
  for (const ray of RAYS) {
    const length = Math.hypot(...ray.direction);
    const direction = Float64Array.from(ray.direction, (value) => value / length);
    const target = Float64Array.from(ray.target);
    const training = gradients
      ? {
          target,
          scale: 1,
          entropyScale: ENTROPY,
          gradients: { ...gradients, touched: new Uint8Array(grid.density.length) },
          scratch: createScratch(200),
        }
      : null;
    marchRay(grid, constants, Float64Array.from(ray.origin), direction, 1.2, 4.3, 0.37, out, training);
    total += 0.5 * ((out.r - target[0]!) ** 2 + (out.g - target[1]!) ** 2 + (out.b - target[2]!) ** 2);
    total += ENTROPY * (-out.opacity * Math.log(out.opacity) - (1 - out.opacity) * Math.log(1 - out.opacity));
  }
  return total;
}

/** Central differences in float64 copies would need a float64 grid; float32 steps of 1e-2 keep the error small. */
function numericGradient(grid: FieldGrid, values: Float32Array, at: number): number {
  const original = values[at]!;
  const h = 1e-2;
  values[at] = original + h;
  const plus = loss(grid, null);
  values[at] = original - h;
  const minus = loss(grid, null);
  values[at] = original;
  return (plus - minus) / (Math.fround(original + h) - Math.fround(original - h));
}

describe.each([
  ["RGB colour", 3],
  ["degree-1 SH colour", 12],
])("ray-march gradients with %s", (_, channels) => {
  it("match central finite differences for every density and colour parameter a ray touches", () => {
    const grid = tinyField(channels, 7);
    const gradients = {
      density: new Float32Array(grid.density.length),
      colour: new Float32Array(grid.colour.length),
    };
    loss(grid, gradients);
    let checked = 0;
    for (const [values, analytic] of [
      [grid.density, gradients.density],
      [grid.colour, gradients.colour],
    ] as const) {
      for (let at = 0; at < values.length; at++) {
        const numeric = numericGradient(grid, values, at);
        expect(analytic[at]!).toBeCloseTo(numeric, 4);
        if (Math.abs(numeric) > 1e-3) checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});

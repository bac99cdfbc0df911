import { describe, expect, it } from "vitest";
import type { FieldGrid } from "../../../src/reconstruction/radiance-field/field-grid";
import { densityShift, softplus } from "../../../src/reconstruction/radiance-field/field-grid";
import type { RayResult } from "../../../src/reconstruction/radiance-field/ray-march";
import { marchRay } from "../../../src/reconstruction/radiance-field/ray-march";

/** A 2×2×2 grid over the unit cube, every corner the same, and a ray along +x through its middle. */
function uniformCube(rawDensity: number, rawColour: [number, number, number], occupied = 1): FieldGrid {
  return {
    nx: 2,
    ny: 2,
    nz: 2,
    channels: 3,
    boundsMin: [0, 0, 0],
    voxel: 1,
    density: new Float32Array(8).fill(rawDensity),
    colour: Float32Array.from({ length: 24 }, (_, i) => rawColour[i % 3]!),
    occupancy: new Uint8Array(1).fill(occupied),
    blocks: new Uint8Array(1).fill(occupied),
  };
}

const shift = densityShift(0.1);
const constants = {
  step: 0.25,
  delta: 0.5,
  shift,
  background: Float64Array.from([1, 1, 1]),
  stopTransmittance: 0,
};

function march(grid: FieldGrid): RayResult {
  const out: RayResult = { r: 0, g: 0, b: 0, opacity: 0, depth: 0, samples: 0 };
  const origin = Float64Array.from([-1, 0.5, 0.5]);
  const direction = Float64Array.from([1, 0, 0]);
  marchRay(grid, constants, origin, direction, 1, 2, 0.5, out, null);
  return out;
}

describe("ray march golden values", () => {
  it("composites four equal samples on the background in closed form", () => {
    // Raw 0 is the shifted density: α = 0.1 per final voxel, so 1 − 0.9^0.5 per half-voxel step.
    const out = march(uniformCube(0, [0, 0, 0]));
    const alpha = 1 - Math.sqrt(0.9);
    const transmittance = (1 - alpha) ** 4;
    expect(out.samples).toBe(4);
    expect(out.opacity).toBeCloseTo(1 - transmittance, 12);
    expect(out.r).toBeCloseTo(0.5 * (1 - transmittance) + transmittance, 12);
    // Samples at t = 1.125, 1.375, 1.625, 1.875 weighted by T·α.
    const weights = [0, 1, 2, 3].map((i) => (1 - alpha) ** i * alpha);
    const depth = weights.reduce((sum, w, i) => sum + w * (1.125 + 0.25 * i), 0) / (1 - transmittance);
    expect(out.depth).toBeCloseTo(depth, 12);
  });

  it("activates density after interpolation and colour through a sigmoid", () => {
    const grid = uniformCube(2, [Math.log(3), 0, -Math.log(3)]);
    const out = march(grid);
    const sigma = softplus(2 + shift);
    const alpha = 1 - Math.exp(-sigma * 0.5);
    const transmittance = (1 - alpha) ** 4;
    expect(out.r).toBeCloseTo(0.75 * (1 - transmittance) + transmittance, 6);
    expect(out.g).toBeCloseTo(0.5 * (1 - transmittance) + transmittance, 6);
    expect(out.b).toBeCloseTo(0.25 * (1 - transmittance) + transmittance, 6);
  });

  it("skips empty cells of the occupancy grid and renders the background through them", () => {
    const out = march(uniformCube(5, [0, 0, 0], 0));
    expect(out).toMatchObject({ r: 1, g: 1, b: 1, opacity: 0, depth: 0, samples: 0 });
  });

  it("stops once the transmittance falls below the threshold", () => {
    const grid = uniformCube(8, [0, 0, 0]);
    const out: RayResult = { r: 0, g: 0, b: 0, opacity: 0, depth: 0, samples: 0 };
    const origin = Float64Array.from([-1, 0.5, 0.5]);
    const direction = Float64Array.from([1, 0, 0]);
    marchRay(grid, { ...constants, stopTransmittance: 0.01 }, origin, direction, 1, 2, 0.5, out, null);
    // α ≈ 0.98 per sample: the first leaves 2 % of the light, the second 0.04 %, and the ray stops.
    expect(out.samples).toBe(2);
  });
});

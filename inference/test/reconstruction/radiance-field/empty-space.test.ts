import { describe, expect, it } from "vitest";
import { allocateState } from "../../../src/reconstruction/radiance-field/field-state";
import { refreshOccupancy } from "../../../src/reconstruction/radiance-field/grid-resample";
import type { RayResult } from "../../../src/reconstruction/radiance-field/ray-march";
import { createScratch, marchRay } from "../../../src/reconstruction/radiance-field/ray-march";
import { SeededStream } from "../../../src/reconstruction/radiance-field/seeded-stream";

describe("empty-space skipping", () => {
  it("jumps across empty blocks without changing any colour, opacity or gradient", () => {
    // 20³ points, opaque only in a ball near one corner: most 8³-cell blocks are empty.
    const shape = { nx: 20, ny: 20, nz: 20, voxel: 0.1 };
    const state = allocateState(shape, [0, 0, 0], 3, 1);
    const random = new SeededStream(9);
    for (let z = 0; z < 20; z++)
      for (let y = 0; y < 20; y++)
        for (let x = 0; x < 20; x++) {
          const v = x + 20 * (y + 20 * z);
          state.grid.density[v] = Math.hypot(x - 13, y - 12, z - 14) < 4 ? 3 + random.next() : -10;
          for (let c = 0; c < 3; c++) state.grid.colour[v * 3 + c] = random.next() * 2 - 1;
        }
    const occupied = refreshOccupancy(state.grid, 0, 19, -5);
    expect(occupied).toBeGreaterThan(0);
    expect([...state.grid.blocks]).toContain(0);
    const constants = {
      step: 0.013,
      delta: 0.13,
      shift: -2,
      background: Float64Array.from([1, 1, 1]),
      stopTransmittance: 1e-4,
    };

    const trace = (blocks: Uint8Array) => {
      const grid = { ...state.grid, blocks };
      const gradients = {
        density: new Float32Array(8000),
        colour: new Float32Array(24000),
        touched: new Uint8Array(8000),
      };
      const results: number[] = [];
      const out: RayResult = { r: 0, g: 0, b: 0, opacity: 0, depth: 0, samples: 0 };
      const rays = new SeededStream(4);
      for (let ray = 0; ray < 200; ray++) {
        const origin = Float64Array.from([rays.next() * 1.9, rays.next() * 1.9, -0.5]);
        const direction = Float64Array.from([rays.next() - 0.5, rays.next() - 0.5, 1]);
        const length = Math.hypot(...direction);
        direction.forEach((value, axis) => (direction[axis] = value / length));
        const training = {
          target: Float64Array.from([0.2, 0.4, 0.6]),
          scale: 1,
          entropyScale: 0.01,
          gradients,
          scratch: createScratch(400),
        };
        marchRay(
          grid,
          constants,
          origin,
          direction,
          0.5 / direction[2]!,
          2.4 / direction[2]!,
          0.3,
          out,
          training,
        );
        results.push(out.r, out.g, out.b, out.opacity, out.depth, out.samples);
      }
      return { results, gradients };
    };
    const skipping = trace(state.grid.blocks);
    const marching = trace(new Uint8Array(state.grid.blocks.length).fill(1));
    expect(skipping.results).toEqual(marching.results);
    expect(skipping.gradients).toEqual(marching.gradients);
  });
});

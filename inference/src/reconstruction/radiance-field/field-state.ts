import type { Vec3 } from "../contracts";
import type { GridShape } from "./field-grid";
import { BLOCK } from "./field-grid";
import { gridBlocks, gridCells, gridPoints } from "./field-grid";
import type { OptimiserState } from "./optimiser";

/** A fresh stage's grids, moments, per-thread gradients and masks, all in shared memory. */
export function allocateState(
  shape: GridShape,
  boundsMin: Vec3,
  channels: number,
  threads: number,
): OptimiserState {
  const points = gridPoints(shape);
  const floats = (count: number) => new Float32Array(new SharedArrayBuffer(count * 4));
  const occupancy = new Uint8Array(new SharedArrayBuffer(gridCells(shape)));
  occupancy.fill(1);
  const [bx, by, bz] = gridBlocks(shape);
  const blocks = new Uint8Array(new SharedArrayBuffer(bx * by * bz)).fill(1);
  return {
    grid: {
      nx: shape.nx,
      ny: shape.ny,
      nz: shape.nz,
      channels,
      boundsMin: [...boundsMin],
      voxel: shape.voxel,
      density: floats(points),
      colour: floats(points * channels),
      occupancy,
      blocks,
    },
    densityFirst: floats(points),
    densitySecond: floats(points),
    colourFirst: floats(points * channels),
    colourSecond: floats(points * channels),
    gradients: Array.from({ length: threads }, () => ({
      density: floats(points),
      colour: floats(points * channels),
    })),
    touched: new Uint8Array(new SharedArrayBuffer(points)),
  };
}

/** The z-slab of cells, whole blocks of them, whose occupancy worker `index` of `count` refreshes. */
export function blockSlab(nz: number, index: number, count: number): { z0: number; z1: number } {
  const blocks = Math.ceil((nz - 1) / BLOCK);
  const { z0, z1 } = slab(blocks, index, count);
  return { z0: z0 * BLOCK, z1: Math.min(z1 * BLOCK, nz - 1) };
}

/** The z-slab [z0, z1) of `nz` points that worker `index` of `count` owns. */
export function slab(nz: number, index: number, count: number): { z0: number; z1: number } {
  return { z0: Math.floor((nz * index) / count), z1: Math.floor((nz * (index + 1)) / count) };
}

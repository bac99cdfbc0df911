import type { FieldGrid } from "./field-grid";
import { BLOCK, gridBlocks } from "./field-grid";

/**
 * Marks the cells of slabs [z0, z1) whose largest corner raw density reaches `rawThreshold`
 * (alpha rises with raw density, so this is "some corner is at least that opaque"), then the
 * blocks of those slabs (z0 and z1 are whole blocks of cells, or z1 the last cell).
 */
export function refreshOccupancy(grid: FieldGrid, z0: number, z1: number, rawThreshold: number): number {
  const { nx, ny, density, occupancy } = grid;
  const plane = nx * ny;
  let occupied = 0;
  for (let z = z0; z < Math.min(z1, grid.nz - 1); z++) {
    for (let y = 0; y < ny - 1; y++) {
      let cell = (nx - 1) * (y + (ny - 1) * z);
      let v = z * plane + y * nx;
      for (let x = 0; x < nx - 1; x++, v++, cell++) {
        const largest = Math.max(
          density[v]!,
          density[v + 1]!,
          density[v + nx]!,
          density[v + nx + 1]!,
          density[v + plane]!,
          density[v + plane + 1]!,
          density[v + plane + nx]!,
          density[v + plane + nx + 1]!,
        );
        const on = largest >= rawThreshold ? 1 : 0;
        occupancy[cell] = on;
        occupied += on;
      }
    }
  }
  deriveBlocks(grid, z0 / BLOCK, Math.ceil(z1 / BLOCK));
  return occupied;
}

/** A block is occupied when any of its cells is: blocks bz0 ≤ z < bz1. */
export function deriveBlocks(grid: FieldGrid, bz0: number, bz1: number): void {
  const [bx, by] = gridBlocks(grid);
  const [cx, cy, cz] = [grid.nx - 1, grid.ny - 1, grid.nz - 1];
  for (let bz = bz0; bz < bz1; bz++) {
    for (let byIndex = 0; byIndex < by; byIndex++) {
      for (let bxIndex = 0; bxIndex < bx; bxIndex++) {
        let any = 0;
        for (let z = bz * BLOCK; z < Math.min((bz + 1) * BLOCK, cz) && !any; z++) {
          for (let y = byIndex * BLOCK; y < Math.min((byIndex + 1) * BLOCK, cy) && !any; y++) {
            const row = cx * (y + cy * z);
            for (let x = bxIndex * BLOCK; x < Math.min((bxIndex + 1) * BLOCK, cx); x++) {
              if (grid.occupancy[row + x]) {
                any = 1;
                break;
              }
            }
          }
        }
        grid.blocks[bxIndex + bx * (byIndex + by * bz)] = any;
      }
    }
  }
}

/**
 * Fills slabs [z0, z1) of `to` by trilinear interpolation of `from` at the same world points
 * (both grids start at the same corner; `to` has smaller voxels).
 */
export function upsample(from: FieldGrid, to: FieldGrid, z0: number, z1: number): void {
  const channels = from.channels;
  const ratio = to.voxel / from.voxel;
  const plane = from.nx * from.ny;
  for (let z = z0; z < z1; z++) {
    const [k, fz] = corner(z * ratio, from.nz);
    for (let y = 0; y < to.ny; y++) {
      const [j, fy] = corner(y * ratio, from.ny);
      let target = to.nx * (y + to.ny * z);
      for (let x = 0; x < to.nx; x++, target++) {
        const [i, fx] = corner(x * ratio, from.nx);
        const base = i + from.nx * j + plane * k;
        let density = 0;
        for (let c = 0; c < channels; c++) to.colour[target * channels + c] = 0;
        for (let cornerIndex = 0; cornerIndex < 8; cornerIndex++) {
          const ux = cornerIndex & 1;
          const uy = (cornerIndex >> 1) & 1;
          const uz = cornerIndex >> 2;
          const w = (ux ? fx : 1 - fx) * (uy ? fy : 1 - fy) * (uz ? fz : 1 - fz);
          const source = base + ux + uy * from.nx + uz * plane;
          density += w * from.density[source]!;
          for (let c = 0; c < channels; c++) {
            to.colour[target * channels + c] =
              to.colour[target * channels + c]! + w * from.colour[source * channels + c]!;
          }
        }
        to.density[target] = density;
      }
    }
  }
}

/** The lower corner of the cell holding grid coordinate `g` on an axis of `n` points, and the fraction. */
function corner(g: number, n: number): [number, number] {
  const clamped = Math.min(Math.max(g, 0), n - 1);
  const index = Math.min(Math.floor(clamped), n - 2);
  return [index, clamped - index];
}

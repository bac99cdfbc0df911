import type { Vec3 } from "../contracts";

/**
 * A voxel grid of the field at one resolution: raw density (one value per grid point) and raw
 * colour (3 values, or 3 × 4 degree-1 spherical-harmonic coefficients), x fastest, sampled at the
 * voxel corners as in contracts.ts. Voxels are cubes; an axis shorter than the longest gets fewer
 * points, so `boundsMax` may sit slightly beyond the scene's.
 */
export interface FieldGrid {
  nx: number;
  ny: number;
  nz: number;
  /** 3 (RGB) or 12 (RGB × 4 SH coefficients, [r0 r1 r2 r3 g0 … b3]). */
  channels: number;
  boundsMin: Vec3;
  /** World size of one voxel. */
  voxel: number;
  density: Float32Array;
  colour: Float32Array;
  /** One byte per cell ((nx−1)(ny−1)(nz−1)): 0 means empty, samples there are skipped. */
  occupancy: Uint8Array;
  /** One byte per block of BLOCK³ cells: 0 when every cell in it is empty, so a ray jumps across. */
  blocks: Uint8Array;
}

export const BLOCK = 8;

export function gridBlocks(shape: { nx: number; ny: number; nz: number }): [number, number, number] {
  return [shape.nx, shape.ny, shape.nz].map((n) => Math.ceil((n - 1) / BLOCK)) as [number, number, number];
}

export interface GridShape {
  nx: number;
  ny: number;
  nz: number;
  voxel: number;
}

/** The longest axis gets `resolution` points; the others as many as cover their extent. */
export function gridShape(boundsMin: Vec3, boundsMax: Vec3, resolution: number): GridShape {
  const extents = [0, 1, 2].map((axis) => boundsMax[axis]! - boundsMin[axis]!);
  const voxel = Math.max(...extents) / (resolution - 1);
  const [nx, ny, nz] = extents.map((extent) =>
    Math.min(resolution, Math.max(2, Math.ceil(extent / voxel - 1e-9) + 1)),
  );
  return { nx: nx!, ny: ny!, nz: nz!, voxel };
}

export function gridPoints(shape: GridShape): number {
  return shape.nx * shape.ny * shape.nz;
}

export function gridCells(shape: GridShape): number {
  return (shape.nx - 1) * (shape.ny - 1) * (shape.nz - 1);
}

/** softplus(x) = log(1 + eˣ), exact for large x. */
export function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * The density shift of DVGO: raw density 0 means an alpha of `alpha` for a step of one voxel at
 * the final resolution, so a fresh grid is almost transparent and Adam's first steps move it.
 */
export function densityShift(alpha: number): number {
  return Math.log(Math.expm1(-Math.log1p(-alpha)));
}

/** Degree-0 SH basis value: the view-independent colour is sigmoid(Y0 · c0). */
export const SH_C0 = 0.28209479177387814;
export const SH_C1 = 0.4886025119029199;

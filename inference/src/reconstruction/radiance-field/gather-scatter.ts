import type { FieldGrid } from "./field-grid";

/**
 * The memory-bound floor the bench compares the trainer with: the same samples along the same
 * rays, each gathering density and every colour channel from its 8 corners and scattering one
 * value back to all of them — no occupancy test, no compositing, no activation, no early stop.
 */
export function gatherScatterRay(
  grid: FieldGrid,
  gradients: { density: Float32Array; colour: Float32Array },
  step: number,
  origin: Float64Array,
  direction: Float64Array,
  tEnter: number,
  tExit: number,
): number {
  const { nx, ny, channels, density, colour } = grid;
  const invVoxel = 1 / grid.voxel;
  const limitX = nx - 1;
  const limitY = ny - 1;
  const limitZ = grid.nz - 1;
  const plane = nx * ny;
  const offsets = new Int32Array([0, 1, nx, nx + 1, plane, plane + 1, plane + nx, plane + nx + 1]);
  const weights = new Float64Array(8);
  const [ox, oy, oz] = [origin[0]!, origin[1]!, origin[2]!];
  const [dx, dy, dz] = [direction[0]!, direction[1]!, direction[2]!];
  const gDensity = gradients.density;
  const gColour = gradients.colour;
  let samples = 0;
  let sink = 0;
  for (let t = tEnter + 0.5 * step; t < tExit; t += step) {
    let gx = (ox + t * dx - grid.boundsMin[0]) * invVoxel;
    let gy = (oy + t * dy - grid.boundsMin[1]) * invVoxel;
    let gz = (oz + t * dz - grid.boundsMin[2]) * invVoxel;
    gx = gx < 0 ? 0 : gx > limitX ? limitX : gx;
    gy = gy < 0 ? 0 : gy > limitY ? limitY : gy;
    gz = gz < 0 ? 0 : gz > limitZ ? limitZ : gz;
    let i = Math.floor(gx);
    let j = Math.floor(gy);
    let l = Math.floor(gz);
    if (i === limitX) i--;
    if (j === limitY) j--;
    if (l === limitZ) l--;
    const fx = gx - i;
    const fy = gy - j;
    const fz = gz - l;
    const base = i + nx * j + plane * l;
    weights[0] = (1 - fx) * (1 - fy) * (1 - fz);
    weights[1] = fx * (1 - fy) * (1 - fz);
    weights[2] = (1 - fx) * fy * (1 - fz);
    weights[3] = fx * fy * (1 - fz);
    weights[4] = (1 - fx) * (1 - fy) * fz;
    weights[5] = fx * (1 - fy) * fz;
    weights[6] = (1 - fx) * fy * fz;
    weights[7] = fx * fy * fz;
    let value = 0;
    for (let corner = 0; corner < 8; corner++) {
      const w = weights[corner]!;
      const at = base + offsets[corner]!;
      value += w * density[at]!;
      for (let c = at * channels; c < (at + 1) * channels; c++) value += w * colour[c]!;
    }
    sink += value;
    for (let corner = 0; corner < 8; corner++) {
      const at = base + offsets[corner]!;
      const w = weights[corner]! * value;
      gDensity[at] = gDensity[at]! + w;
      for (let c = at * channels; c < (at + 1) * channels; c++) gColour[c] = gColour[c]! + w;
    }
    samples++;
  }
  return sink === Infinity ? -samples : samples;
}

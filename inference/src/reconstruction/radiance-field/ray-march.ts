import type { FieldGrid } from "./field-grid";
import { BLOCK, SH_C0, SH_C1 } from "./field-grid";
import { backward } from "./ray-backward";

/**
 * One ray through the field: samples every `step` from where it enters the bounds, trilinear
 * interpolation of raw density and colour, density activated after interpolation
 * (σ = softplus(d + shift), α = 1 − exp(−σ·delta)), front-to-back alpha compositing on the
 * background, and — when training — the analytic gradient of the squared colour error scattered
 * onto the 8 corners of every sample. Samples in empty cells of the occupancy grid are skipped;
 * the ray stops once its transmittance falls below `stopTransmittance`.
 */
export interface MarchConstants {
  /** World distance between samples. */
  step: number;
  /** The same distance in voxels of the final resolution (alpha is defined per final voxel). */
  delta: number;
  shift: number;
  background: Float64Array;
  stopTransmittance: number;
}

export interface RayResult {
  r: number;
  g: number;
  b: number;
  opacity: number;
  /** Σ weight · t / opacity: the expected distance of the opaque part (0 when none). */
  depth: number;
  samples: number;
}

/** Per-worker buffers: the samples of the ray being traced, kept for the backward pass. */
export interface MarchScratch {
  base: Int32Array;
  fractions: Float64Array;
  alpha: Float64Array;
  /** dα/d(raw density). */
  alphaSlope: Float64Array;
  transmittance: Float64Array;
  colour: Float64Array;
}

export interface Gradients {
  density: Float32Array;
  colour: Float32Array;
  /** Set to 1 for every grid point a sample touched. */
  touched: Uint8Array;
}

export interface Training {
  target: Float64Array;
  /** d(loss)/d(rendered colour) = scale · (rendered − target). */
  scale: number;
  /**
   * Weight of the ray's opacity entropy −o·ln o − (1−o)·ln(1−o) in the loss (as DVGO's
   * "entropy_last"): it pushes each ray to be either clear or opaque, which empties the fog a
   * fresh grid grows in front of the objects so the occupancy grid can skip it.
   */
  entropyScale: number;
  gradients: Gradients;
  scratch: MarchScratch;
}

export function createScratch(maxSamples: number): MarchScratch {
  return {
    base: new Int32Array(maxSamples),
    fractions: new Float64Array(maxSamples * 3),
    alpha: new Float64Array(maxSamples),
    alphaSlope: new Float64Array(maxSamples),
    transmittance: new Float64Array(maxSamples),
    colour: new Float64Array(maxSamples * 3),
  };
}

const basis = new Float64Array(4);
const rgb = new Float64Array(3);
const cornerOffsets = new Int32Array(8);
const cornerWeights = new Float64Array(8);

/** Samples at t = tEnter + (i + offset)·step for i = 0, 1, … while t < tExit. */
export function marchRay(
  grid: FieldGrid,
  k: MarchConstants,
  origin: Float64Array,
  direction: Float64Array,
  tEnter: number,
  tExit: number,
  offset: number,
  out: RayResult,
  training: Training | null,
): void {
  const { nx, ny, density, colour, channels, occupancy } = grid;
  const sh = channels === 12;
  const invVoxel = 1 / grid.voxel;
  // Plain locals only in the loops below: no destructuring of typed arrays (an iterator per ray),
  // no property loads per sample.
  const ox = origin[0]!;
  const oy = origin[1]!;
  const oz = origin[2]!;
  const dx = direction[0]!;
  const dy = direction[1]!;
  const dz = direction[2]!;
  const minX = grid.boundsMin[0];
  const minY = grid.boundsMin[1];
  const minZ = grid.boundsMin[2];
  const shift = k.shift;
  const delta = k.delta;
  if (sh) {
    const plane = nx * ny;
    cornerOffsets[0] = 0;
    cornerOffsets[1] = 1;
    cornerOffsets[2] = nx;
    cornerOffsets[3] = nx + 1;
    cornerOffsets[4] = plane;
    cornerOffsets[5] = plane + 1;
    cornerOffsets[6] = plane + nx;
    cornerOffsets[7] = plane + nx + 1;
    basis[0] = SH_C0;
    basis[1] = -SH_C1 * dy;
    basis[2] = SH_C1 * dz;
    basis[3] = -SH_C1 * dx;
  }
  const limitX = nx - 1;
  const limitY = ny - 1;
  const limitZ = grid.nz - 1;
  const cellsX = nx - 1;
  const cellsXY = (nx - 1) * (ny - 1);
  const sx = 1;
  const sy = nx;
  const sz = nx * ny;
  const scratch = training?.scratch;
  let transmittance = 1;
  let r = 0;
  let g = 0;
  let b = 0;
  let depth = 0;
  let count = 0;
  let evaluated = 0;
  const blocksX = Math.ceil(cellsX / BLOCK);
  const blocksXY = blocksX * Math.ceil((ny - 1) / BLOCK);
  const step = k.step;
  const first = tEnter + offset * step;
  for (let s = 0; ; s++) {
    const t = first + s * step;
    if (t >= tExit) break;
    let gx = (ox + t * dx - minX) * invVoxel;
    let gy = (oy + t * dy - minY) * invVoxel;
    let gz = (oz + t * dz - minZ) * invVoxel;
    gx = gx < 0 ? 0 : gx > limitX ? limitX : gx;
    gy = gy < 0 ? 0 : gy > limitY ? limitY : gy;
    gz = gz < 0 ? 0 : gz > limitZ ? limitZ : gz;
    let i = Math.floor(gx);
    let j = Math.floor(gy);
    let l = Math.floor(gz);
    if (i === limitX) i--;
    if (j === limitY) j--;
    if (l === limitZ) l--;
    if (occupancy[i + cellsX * j + cellsXY * l] === 0) {
      const bi = (i / BLOCK) | 0;
      const bj = (j / BLOCK) | 0;
      const bl = (l / BLOCK) | 0;
      if (grid.blocks[bi + blocksX * bj + blocksXY * bl] === 0) {
        // Jump to the last sample before the ray leaves this empty block (one early, so rounding
        // can never skip a sample that lies in the next block).
        const exit = Math.min(
          blockExit(gx, dx, bi, limitX, invVoxel),
          blockExit(gy, dy, bj, limitY, invVoxel),
          blockExit(gz, dz, bl, limitZ, invVoxel),
        );
        const last = Math.ceil((t + exit - first) / step) - 2;
        if (last > s) s = last;
      }
      continue;
    }
    const fx = gx - i;
    const fy = gy - j;
    const fz = gz - l;
    const base = i + nx * j + sz * l;
    const w000 = (1 - fx) * (1 - fy) * (1 - fz);
    const w100 = fx * (1 - fy) * (1 - fz);
    const w010 = (1 - fx) * fy * (1 - fz);
    const w110 = fx * fy * (1 - fz);
    const w001 = (1 - fx) * (1 - fy) * fz;
    const w101 = fx * (1 - fy) * fz;
    const w011 = (1 - fx) * fy * fz;
    const w111 = fx * fy * fz;
    const raw =
      w000 * density[base]! +
      w100 * density[base + sx]! +
      w010 * density[base + sy]! +
      w110 * density[base + sy + sx]! +
      w001 * density[base + sz]! +
      w101 * density[base + sz + sx]! +
      w011 * density[base + sz + sy]! +
      w111 * density[base + sz + sy + sx]!;
    const x = raw + shift;
    // e^x serves both softplus and its derivative, the logistic function.
    const ex = Math.exp(x);
    const sigma = x > 20 ? x : Math.log1p(ex);
    const alpha = -Math.expm1(-sigma * delta);
    evaluated++;
    let colourR: number;
    let colourG: number;
    let colourB: number;
    if (sh) {
      cornerWeights[0] = w000;
      cornerWeights[1] = w100;
      cornerWeights[2] = w010;
      cornerWeights[3] = w110;
      cornerWeights[4] = w001;
      cornerWeights[5] = w101;
      cornerWeights[6] = w011;
      cornerWeights[7] = w111;
      shColour(colour, base, cornerOffsets, cornerWeights);
      colourR = rgb[0]!;
      colourG = rgb[1]!;
      colourB = rgb[2]!;
    } else {
      const c000 = base * 3;
      const c100 = (base + sx) * 3;
      const c010 = (base + sy) * 3;
      const c110 = (base + sy + sx) * 3;
      const c001 = (base + sz) * 3;
      const c101 = (base + sz + sx) * 3;
      const c011 = (base + sz + sy) * 3;
      const c111 = (base + sz + sy + sx) * 3;
      colourR =
        w000 * colour[c000]! +
        w100 * colour[c100]! +
        w010 * colour[c010]! +
        w110 * colour[c110]! +
        w001 * colour[c001]! +
        w101 * colour[c101]! +
        w011 * colour[c011]! +
        w111 * colour[c111]!;
      colourG =
        w000 * colour[c000 + 1]! +
        w100 * colour[c100 + 1]! +
        w010 * colour[c010 + 1]! +
        w110 * colour[c110 + 1]! +
        w001 * colour[c001 + 1]! +
        w101 * colour[c101 + 1]! +
        w011 * colour[c011 + 1]! +
        w111 * colour[c111 + 1]!;
      colourB =
        w000 * colour[c000 + 2]! +
        w100 * colour[c100 + 2]! +
        w010 * colour[c010 + 2]! +
        w110 * colour[c110 + 2]! +
        w001 * colour[c001 + 2]! +
        w101 * colour[c101 + 2]! +
        w011 * colour[c011 + 2]! +
        w111 * colour[c111 + 2]!;
    }
    const cr = 1 / (1 + Math.exp(-colourR));
    const cg = 1 / (1 + Math.exp(-colourG));
    const cb = 1 / (1 + Math.exp(-colourB));
    const weight = transmittance * alpha;
    r += weight * cr;
    g += weight * cg;
    b += weight * cb;
    depth += weight * t;
    if (scratch) {
      scratch.base[count] = base;
      scratch.fractions[count * 3] = fx;
      scratch.fractions[count * 3 + 1] = fy;
      scratch.fractions[count * 3 + 2] = fz;
      scratch.alpha[count] = alpha;
      // dα/dσ · dσ/dx = delta·(1 − α) · sigmoid(x)
      scratch.alphaSlope[count] = delta * (1 - alpha) * (x > 20 ? 1 : ex / (1 + ex));
      scratch.transmittance[count] = transmittance;
      scratch.colour[count * 3] = cr;
      scratch.colour[count * 3 + 1] = cg;
      scratch.colour[count * 3 + 2] = cb;
    }
    count++;
    transmittance *= 1 - alpha;
    if (transmittance < k.stopTransmittance) break;
  }
  const background = k.background;
  out.opacity = 1 - transmittance;
  out.depth = out.opacity > 0 ? depth / out.opacity : 0;
  out.r = r + transmittance * background[0]!;
  out.g = g + transmittance * background[1]!;
  out.b = b + transmittance * background[2]!;
  out.samples = evaluated;
  if (training) backward(grid, k, training, count, out, basis);
}

/** World distance along the ray from grid coordinate g to the face of its block it moves towards. */
function blockExit(g: number, d: number, block: number, limit: number, invVoxel: number): number {
  if (d > 0) return (Math.min((block + 1) * BLOCK, limit) - g) / (d * invVoxel);
  if (d < 0) return (block * BLOCK - g) / (d * invVoxel);
  return Infinity;
}

function shColour(colour: Float32Array, base: number, offsets: Int32Array, weights: Float64Array): void {
  rgb[0] = 0;
  rgb[1] = 0;
  rgb[2] = 0;
  for (let corner = 0; corner < 8; corner++) {
    const at = (base + offsets[corner]!) * 12;
    const w = weights[corner]!;
    for (let c = 0; c < 3; c++) {
      const o = at + c * 4;
      rgb[c] =
        rgb[c]! +
        w *
          (colour[o]! * basis[0]! +
            colour[o + 1]! * basis[1]! +
            colour[o + 2]! * basis[2]! +
            colour[o + 3]! * basis[3]!);
    }
  }
}

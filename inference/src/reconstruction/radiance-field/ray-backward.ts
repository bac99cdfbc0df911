import type { FieldGrid } from "./field-grid";
import type { MarchConstants, RayResult, Training } from "./ray-march";

/** The backward pass of ray-march.ts, from the samples the forward pass kept in scratch. */

const OPACITY_CLAMP = 1e-6;

/**
 * Back to front. With Q the colour of everything behind a sample normalised by the light that
 * reaches it (Q = background after the last sample, Q ← α·c + (1 − α)·Q going forward), the
 * rendered colour's derivative is dC/dα = T·(c − Q) — no division by (1 − α), so it stays finite
 * for opaque samples.
 */
export function backward(
  grid: FieldGrid,
  k: MarchConstants,
  training: Training,
  count: number,
  out: RayResult,
  basis: Float64Array,
): void {
  const { scratch, gradients, target, scale } = training;
  const opacity = Math.min(Math.max(out.opacity, OPACITY_CLAMP), 1 - OPACITY_CLAMP);
  const dOpacity =
    out.opacity > OPACITY_CLAMP && out.opacity < 1 - OPACITY_CLAMP
      ? training.entropyScale * Math.log((1 - opacity) / opacity)
      : 0;
  // Π(1 − α) of the samples behind the current one: dO/dα = T·(that product).
  let behind = 1;
  const gr = scale * (out.r - target[0]!);
  const gg = scale * (out.g - target[1]!);
  const gb = scale * (out.b - target[2]!);
  const { nx, ny } = grid;
  const sy = nx;
  const sz = nx * ny;
  const sh = grid.channels === 12;
  const dDensity = gradients.density;
  const dColour = gradients.colour;
  const touched = gradients.touched;
  let remainingR = k.background[0]!;
  let remainingG = k.background[1]!;
  let remainingB = k.background[2]!;
  for (let s = count - 1; s >= 0; s--) {
    const alpha = scratch.alpha[s]!;
    const transmittance = scratch.transmittance[s]!;
    const cr = scratch.colour[s * 3]!;
    const cg = scratch.colour[s * 3 + 1]!;
    const cb = scratch.colour[s * 3 + 2]!;
    const dAlpha =
      transmittance *
      (gr * (cr - remainingR) + gg * (cg - remainingG) + gb * (cb - remainingB) + dOpacity * behind);
    behind *= 1 - alpha;
    const dRaw = dAlpha * scratch.alphaSlope[s]!;
    const weight = transmittance * alpha;
    const dr = gr * weight * cr * (1 - cr);
    const dg = gg * weight * cg * (1 - cg);
    const db = gb * weight * cb * (1 - cb);
    remainingR = alpha * cr + (1 - alpha) * remainingR;
    remainingG = alpha * cg + (1 - alpha) * remainingG;
    remainingB = alpha * cb + (1 - alpha) * remainingB;
    const base = scratch.base[s]!;
    const fx = scratch.fractions[s * 3]!;
    const fy = scratch.fractions[s * 3 + 1]!;
    const fz = scratch.fractions[s * 3 + 2]!;
    const gx = 1 - fx;
    const gy = 1 - fy;
    const gz = 1 - fz;
    // Corner by corner as (x, y, z) bits: the same products, in the same order, as the forward
    // pass's weights (x-factor · y-factor · z-factor).
    const w000 = gx * gy * gz;
    const w100 = fx * gy * gz;
    const w010 = gx * fy * gz;
    const w110 = fx * fy * gz;
    const w001 = gx * gy * fz;
    const w101 = fx * gy * fz;
    const w011 = gx * fy * fz;
    const w111 = fx * fy * fz;
    const a000 = base;
    const a100 = base + 1;
    const a010 = base + sy;
    const a110 = base + 1 + sy;
    const a001 = base + sz;
    const a101 = base + 1 + sz;
    const a011 = base + sy + sz;
    const a111 = base + 1 + sy + sz;
    touched[a000] = 1;
    touched[a100] = 1;
    touched[a010] = 1;
    touched[a110] = 1;
    touched[a001] = 1;
    touched[a101] = 1;
    touched[a011] = 1;
    touched[a111] = 1;
    dDensity[a000] = dDensity[a000]! + w000 * dRaw;
    dDensity[a100] = dDensity[a100]! + w100 * dRaw;
    dDensity[a010] = dDensity[a010]! + w010 * dRaw;
    dDensity[a110] = dDensity[a110]! + w110 * dRaw;
    dDensity[a001] = dDensity[a001]! + w001 * dRaw;
    dDensity[a101] = dDensity[a101]! + w101 * dRaw;
    dDensity[a011] = dDensity[a011]! + w011 * dRaw;
    dDensity[a111] = dDensity[a111]! + w111 * dRaw;
    if (sh) {
      shScatter(dColour, a000, w000, dr, dg, db, basis);
      shScatter(dColour, a100, w100, dr, dg, db, basis);
      shScatter(dColour, a010, w010, dr, dg, db, basis);
      shScatter(dColour, a110, w110, dr, dg, db, basis);
      shScatter(dColour, a001, w001, dr, dg, db, basis);
      shScatter(dColour, a101, w101, dr, dg, db, basis);
      shScatter(dColour, a011, w011, dr, dg, db, basis);
      shScatter(dColour, a111, w111, dr, dg, db, basis);
    } else {
      rgbScatter(dColour, a000 * 3, w000, dr, dg, db);
      rgbScatter(dColour, a100 * 3, w100, dr, dg, db);
      rgbScatter(dColour, a010 * 3, w010, dr, dg, db);
      rgbScatter(dColour, a110 * 3, w110, dr, dg, db);
      rgbScatter(dColour, a001 * 3, w001, dr, dg, db);
      rgbScatter(dColour, a101 * 3, w101, dr, dg, db);
      rgbScatter(dColour, a011 * 3, w011, dr, dg, db);
      rgbScatter(dColour, a111 * 3, w111, dr, dg, db);
    }
  }
}

function rgbScatter(dColour: Float32Array, o: number, w: number, dr: number, dg: number, db: number): void {
  dColour[o] = dColour[o]! + w * dr;
  dColour[o + 1] = dColour[o + 1]! + w * dg;
  dColour[o + 2] = dColour[o + 2]! + w * db;
}

function shScatter(
  dColour: Float32Array,
  at: number,
  w: number,
  dr: number,
  dg: number,
  db: number,
  basis: Float64Array,
): void {
  const o = at * 12;
  for (let m = 0; m < 4; m++) {
    dColour[o + m] = dColour[o + m]! + w * dr * basis[m]!;
    dColour[o + 4 + m] = dColour[o + 4 + m]! + w * dg * basis[m]!;
    dColour[o + 8 + m] = dColour[o + 8 + m]! + w * db * basis[m]!;
  }
}

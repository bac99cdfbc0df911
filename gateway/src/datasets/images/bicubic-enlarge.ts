/**
 * libvips' enlargement (vips_resize → vips_affine with the bicubic interpolator), reproduced for
 * one-band 8-bit images so the analysis can render small images itself from one decode instead
 * of asking libvips for a second pass: same Catmull-Rom table of 65 sub-pixel positions in 12-bit
 * fixed point, same mapping accumulated in double along a row, same edge copy.
 * The result equals `sharp().resize(w, h, { fit: "fill" })` pixel for pixel whenever neither side
 * shrinks (a shrinking side goes through libvips' reduce, which this does not reproduce).
 */
const transformScale = 64;
const interpolateShift = 12;
const interpolateHalf = 1 << (interpolateShift - 1);

/** Catmull-Rom weights for each of the 65 sub-pixel positions, as libvips tables them. */
const weights: Int32Array[] = Array.from({ length: transformScale + 1 }, (_, position) => {
  const x = position / transformScale;
  const cr1 = 1 - x;
  const cr2 = -0.5 * x;
  const cr3 = cr1 * cr2;
  const cone = cr1 * cr3;
  const cfou = x * cr3;
  const cr4 = cfou - cone;
  const ctwo = cr1 - cone + cr4;
  const cthr = x - cfou - cr4;
  // Assigned to int in C: truncated towards zero.
  return Int32Array.from([cone, ctwo, cthr, cfou], (weight) => Math.trunc(weight * (1 << interpolateShift)));
});

export interface AxisTaps {
  /** 4 source indices per output index, clamped to the image (libvips' copied border). */
  source: Int32Array;
  /** Their 4 fixed-point weights. */
  weight: Int32Array;
}

/** Whether `enlargeGrey` renders `width`×`height` → `outWidth`×`outHeight` as libvips would. */
export function canEnlargeLikeLibvips(
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): boolean {
  return width >= 1 && height >= 1 && width <= outWidth && height <= outHeight;
}

/** The taps of one enlargement, computed once and used for every row. */
export interface Enlargement {
  width: number;
  height: number;
  outWidth: number;
  outHeight: number;
  /** Both scales are 1: libvips copies the pixels. */
  identity: boolean;
  columns: AxisTaps;
  rows: AxisTaps;
}

/** The taps of `width`×`height` → `outWidth`×`outHeight` (neither side may shrink). */
export function planEnlargement(
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Enlargement {
  if (!canEnlargeLikeLibvips(width, height, outWidth, outHeight)) {
    throw new RangeError(`enlargeGrey: cannot enlarge ${width}×${height} to ${outWidth}×${outHeight}`);
  }
  // sharp's fit "fill": a shrink factor per axis, inverted into libvips' scale.
  const horizontalScale = 1 / (width / outWidth);
  const verticalScale = 1 / (height / outHeight);
  // vips__transform_calc_inverse.
  const inverseDeterminant = 1 / (horizontalScale * verticalScale);
  return {
    width,
    height,
    outWidth,
    outHeight,
    identity: horizontalScale === 1 && verticalScale === 1,
    columns: axisTaps(inverseDeterminant * verticalScale, width, outWidth, true),
    rows: axisTaps(inverseDeterminant * horizontalScale, height, outHeight, false),
  };
}

/** Grey `width`×`height` pixels stretched to `outWidth`×`outHeight` (neither side may shrink). */
export function enlargeGrey(
  grey: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  const plan = planEnlargement(width, height, outWidth, outHeight);
  if (grey.length !== width * height) {
    throw new RangeError(`enlargeGrey: expected ${width * height} pixels, got ${grey.length}`);
  }
  if (plan.identity) return Uint8Array.from(grey);
  const horizontal = new Int32Array(height * outWidth);
  enlargeColumns(grey, plan, horizontal);
  const out = new Uint8Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y += 1) enlargeRow(horizontal, plan, y, out);
  return out;
}

/**
 * The first pass: each source row stretched to `outWidth` columns, into `horizontal` (at least
 * height × outWidth), unrounded to bytes. It depends only on the source row and the output column,
 * so it is done once per source row (libvips repeats it per output row with the same integers,
 * hence the same result).
 */
export function enlargeColumns(grey: Uint8Array, plan: Enlargement, horizontal: Int32Array): void {
  const { width, height, outWidth } = plan;
  const { source, weight } = plan.columns;
  // Column by column: the column's taps stay in registers down every row (the image is small).
  for (let x = 0, tap = 0; x < outWidth; x += 1, tap += 4) {
    const source0 = source[tap]!;
    const source1 = source[tap + 1]!;
    const source2 = source[tap + 2]!;
    const source3 = source[tap + 3]!;
    const w0 = weight[tap]!;
    const w1 = weight[tap + 1]!;
    const w2 = weight[tap + 2]!;
    const w3 = weight[tap + 3]!;
    for (let row = 0, target = x, end = height * width; row < end; row += width, target += outWidth) {
      // Math.imul keeps V8 in 32-bit integers (the sums fit: 4 × 4,800 × 255).
      const sum =
        (Math.imul(w0, grey[row + source0]!) +
          Math.imul(w1, grey[row + source1]!) +
          Math.imul(w2, grey[row + source2]!) +
          Math.imul(w3, grey[row + source3]!)) |
        0;
      horizontal[target] = (sum + interpolateHalf) >> interpolateShift;
    }
  }
}

/** The second pass for output row `y`: written to `out` from `y × outWidth`, clamped to bytes. */
export function enlargeRow(horizontal: Int32Array, plan: Enlargement, y: number, out: Uint8Array): void {
  const { outWidth } = plan;
  const { source, weight } = plan.rows;
  const tap = y * 4;
  const source0 = source[tap]! * outWidth;
  const source1 = source[tap + 1]! * outWidth;
  const source2 = source[tap + 2]! * outWidth;
  const source3 = source[tap + 3]! * outWidth;
  const w0 = weight[tap]!;
  const w1 = weight[tap + 1]!;
  const w2 = weight[tap + 2]!;
  const w3 = weight[tap + 3]!;
  const target = y * outWidth;
  for (let x = 0; x < outWidth; x += 1) {
    const sum =
      (Math.imul(w0, horizontal[source0 + x]!) +
        Math.imul(w1, horizontal[source1 + x]!) +
        Math.imul(w2, horizontal[source2 + x]!) +
        Math.imul(w3, horizontal[source3 + x]!)) |
      0;
    const value = (sum + interpolateHalf) >> interpolateShift;
    out[target + x] = value < 0 ? 0 : value > 255 ? 255 : value;
  }
}

/**
 * Source taps per output index along one axis, in the coordinates of libvips' affine: the input
 * is embedded with a 2-pixel copied border and displaced by half a pixel.
 * Along a row libvips adds the inverse scale pixel by pixel; down a column it multiplies.
 */
function axisTaps(inverse: number, inSize: number, outSize: number, accumulated: boolean): AxisTaps {
  // libvips 8.18 displaces the input by a constant half pixel (later releases by 0.5 × (1 − 1/scale)),
  // then by −1 for the extra border pixel vips_affine adds.
  const displacement = 0.5 - 1;
  const source = new Int32Array(outSize * 4);
  const weight = new Int32Array(outSize * 4);
  let coordinate = 0 - displacement + 1;
  for (let index = 0; index < outSize; index += 1) {
    const at = accumulated ? coordinate : inverse * index - displacement + 1;
    const scaled = Math.trunc(at * transformScale * 2);
    const position = weights[((scaled & (transformScale * 2 - 1)) + 1) >> 1]!;
    // The 4×4 stencil starts one before the integer part; the border is 2 wide.
    const first = Math.trunc(at) - 1 - 2;
    for (let tap = 0; tap < 4; tap += 1) {
      source[index * 4 + tap] = clamp(first + tap, inSize);
      weight[index * 4 + tap] = position[tap]!;
    }
    coordinate += inverse;
  }
  return { source, weight };
}

function clamp(index: number, size: number): number {
  return index < 0 ? 0 : index >= size ? size - 1 : index;
}

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

interface AxisTaps {
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

/** Grey `width`×`height` pixels stretched to `outWidth`×`outHeight` (neither side may shrink). */
export function enlargeGrey(
  grey: Uint8Array,
  width: number,
  height: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  if (!canEnlargeLikeLibvips(width, height, outWidth, outHeight) || grey.length !== width * height) {
    throw new RangeError(`enlargeGrey: cannot enlarge ${width}×${height} to ${outWidth}×${outHeight}`);
  }
  // sharp's fit "fill": a shrink factor per axis, inverted into libvips' scale.
  const horizontalScale = 1 / (width / outWidth);
  const verticalScale = 1 / (height / outHeight);
  if (horizontalScale === 1 && verticalScale === 1) return Uint8Array.from(grey);
  // vips__transform_calc_inverse.
  const inverseDeterminant = 1 / (horizontalScale * verticalScale);
  const columns = axisTaps(inverseDeterminant * verticalScale, width, outWidth, true);
  const rows = axisTaps(inverseDeterminant * horizontalScale, height, outHeight, false);

  // The first pass depends only on the source row and the output column, so it is done once per
  // source row (libvips repeats it per output row with the same integers, hence the same result).
  const horizontal = new Int32Array(height * outWidth);
  const { source: columnSource, weight: columnWeight } = columns;
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    const target = y * outWidth;
    for (let x = 0, tap = 0; x < outWidth; x += 1, tap += 4) {
      // Math.imul keeps V8 in 32-bit integers (the sums fit: 4 × 4,800 × 255).
      const sum =
        (Math.imul(columnWeight[tap]!, grey[row + columnSource[tap]!]!) +
          Math.imul(columnWeight[tap + 1]!, grey[row + columnSource[tap + 1]!]!) +
          Math.imul(columnWeight[tap + 2]!, grey[row + columnSource[tap + 2]!]!) +
          Math.imul(columnWeight[tap + 3]!, grey[row + columnSource[tap + 3]!]!)) |
        0;
      horizontal[target + x] = (sum + interpolateHalf) >> interpolateShift;
    }
  }
  const out = new Uint8Array(outWidth * outHeight);
  for (let y = 0, tap = 0; y < outHeight; y += 1, tap += 4) {
    const source0 = rows.source[tap]! * outWidth;
    const source1 = rows.source[tap + 1]! * outWidth;
    const source2 = rows.source[tap + 2]! * outWidth;
    const source3 = rows.source[tap + 3]! * outWidth;
    const w0 = rows.weight[tap]!;
    const w1 = rows.weight[tap + 1]!;
    const w2 = rows.weight[tap + 2]!;
    const w3 = rows.weight[tap + 3]!;
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
  return out;
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

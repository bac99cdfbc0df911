/**
 * libvips' sRGB → B_W conversion (colour/LabQ2sRGB.c, vips_col_scRGB2BW_8), reproduced step by
 * step in single precision so a greyscale rendering made here equals the one `sharp().greyscale()`
 * makes, pixel for pixel: each 8-bit channel goes to linear light through a float table, the
 * Rec. 709 luminance is summed in float, and linear luminance goes back to 8-bit sRGB through an
 * integer table with linear interpolation between its entries. Stored perceptual hashes and blur
 * scores were measured on libvips' pixels; a different (even a better) formula would move them.
 */
const f32 = Math.fround;

/** 8-bit sRGB value → linear light, as float. */
const linearOf = new Float32Array(256);
/** Linear light × 255 → 8-bit sRGB value, rounded; one extra entry for the interpolation's +1. */
const srgbOf = new Int32Array(257);

// The C source writes these as float constants summed in float: (1.0F + 0.055F).
const offset = f32(0.055);
const onePlusOffset = f32(1 + offset);

for (let index = 0; index < 256; index += 1) {
  const level = f32(index / 255);
  const encoded =
    level <= 0.0031308
      ? f32(f32(12.92) * level)
      : f32(f32(onePlusOffset * powf(level, f32(1 / f32(2.4)))) - offset);
  srgbOf[index] = rintf(f32(255 * encoded));
  linearOf[index] =
    level <= 0.04045 ? f32(level / f32(12.92)) : powf(f32(f32(level + offset) / onePlusOffset), f32(2.4));
}
srgbOf[256] = srgbOf[255]!;

const redWeight = f32(0.2126);
const greenWeight = f32(0.7152);
const blueWeight = f32(0.0722);

/**
 * The luminance sum is evaluated left to right, (red + green) + blue, each step rounded to float;
 * the first step depends on two bytes only, so it is tabled (256 KiB) and a pixel costs one add.
 */
const redPlusGreen = new Float32Array(256 * 256);
const blueTerm = new Float32Array(256);
for (let red = 0; red < 256; red += 1) {
  const redTerm = f32(redWeight * linearOf[red]!);
  for (let green = 0; green < 256; green += 1) {
    redPlusGreen[(red << 8) | green] = f32(redTerm + f32(greenWeight * linearOf[green]!));
  }
}
for (let blue = 0; blue < 256; blue += 1) blueTerm[blue] = f32(blueWeight * linearOf[blue]!);

/**
 * greyOfLuminance is a non-decreasing step function of the float luminance, so it is also the
 * number of the 255 luminances where it steps up that lie at or below the given one. Those steps
 * are found once by bisection over the floats (through greyOfLuminance itself, so they are exactly
 * its own), and a pixel then costs a bucket look-up and one comparison: the buckets are narrower
 * than the closest two steps (checked below), so at most one step lies inside a bucket.
 * analysis-rendering.test.ts compares the result with greyOf on all 16,777,216 colours.
 */
const stepAt = new Float64Array(257);
const buckets = 4096;
const greyAtBucket = new Uint8Array(buckets + 1);
{
  const bits = new Uint32Array(1);
  const float = new Float32Array(bits.buffer);
  const floatOf = (pattern: number) => ((bits[0] = pattern), float[0]!);
  float[0] = 2;
  const above = bits[0]!;
  // The bit patterns of non-negative floats are in the floats' own order.
  let low = 0;
  for (let level = 1; level < 256; level += 1) {
    let high = above;
    while (high - low > 1) {
      const middle = low + Math.floor((high - low) / 2);
      if (greyOfLuminance(floatOf(middle)) >= level) high = middle;
      else low = middle;
    }
    stepAt[level] = floatOf(high);
  }
  stepAt[0] = Number.NEGATIVE_INFINITY;
  stepAt[256] = Number.POSITIVE_INFINITY;
  for (let bucket = 0, level = 0; bucket <= buckets; bucket += 1) {
    while (stepAt[level + 1]! <= bucket / buckets) level += 1;
    greyAtBucket[bucket] = level;
    if (stepAt[level + 2]! < (bucket + 1) / buckets) {
      throw new Error(`srgb-to-grey: two grey steps within 1/${buckets} of luminance`);
    }
  }
}

/** One pixel's grey level from its 8-bit sRGB channels: the readable definition srgbToGrey follows. */
export function greyOf(red: number, green: number, blue: number): number {
  return greyOfLuminance(f32(redPlusGreen[(red << 8) | green]! + blueTerm[blue]!));
}

/** Interleaved 8-bit RGB pixels → one grey byte each, into `grey` when given (its first `pixels`). */
export function srgbToGrey(
  rgb: Uint8Array,
  pixels: number,
  grey: Uint8Array = new Uint8Array(pixels),
): Uint8Array {
  if (rgb.length < pixels * 3 || grey.length < pixels) {
    throw new RangeError(
      `srgbToGrey: ${pixels} pixels need ${pixels * 3} RGB bytes and ${pixels} grey bytes`,
    );
  }
  for (let pixel = 0, at = 0; pixel < pixels; pixel += 1, at += 3) {
    const luminance = f32(redPlusGreen[(rgb[at]! << 8) | rgb[at + 1]!]! + blueTerm[rgb[at + 2]!]!);
    // Luminance is within [0, 1] (the weights sum to 1), so the bucket exists.
    const level = greyAtBucket[(luminance * buckets) | 0]!;
    grey[pixel] = luminance >= stepAt[level + 1]! ? level + 1 : level;
  }
  return grey;
}

function greyOfLuminance(luminance: number): number {
  const scaled = Math.min(Math.max(f32(luminance * 255), 0), 255);
  const below = scaled | 0;
  const low = srgbOf[below]!;
  return rintf(f32(low + f32((srgbOf[below + 1]! - low) * f32(scaled - below))));
}

function powf(base: number, exponent: number): number {
  return f32(Math.pow(base, exponent));
}

/** C's rintf under the default rounding mode: to nearest, ties to even. */
function rintf(value: number): number {
  const nearest = Math.round(value);
  // Math.round takes ties up; rintf takes them to the even neighbour.
  return nearest - value === 0.5 && (nearest & 1) === 1 ? nearest - 1 : nearest;
}

/**
 * Image quality of a render against its photo, both Float32 RGB 0…1, row-major HWC.
 *
 * SSIM is the standard one (Wang et al. 2004) as NeRF papers compute it (mip-NeRF's
 * `compute_ssim`): an 11×11 Gaussian window with σ = 1.5 (separable), C1 = (0.01)², C2 = (0.03)²
 * for a data range of 1, evaluated over the "valid" region only (window fully inside the image,
 * no padding), computed per RGB channel and averaged over pixels and the three channels.
 */

export function psnr(a: Float32Array, b: Float32Array): number {
  checkSameLength(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  const mse = sum / a.length;
  return mse === 0 ? Infinity : -10 * Math.log10(mse);
}

const WINDOW = 11;
const SIGMA = 1.5;
const C1 = 0.01 ** 2;
const C2 = 0.03 ** 2;

const GAUSSIAN = (() => {
  const half = (WINDOW - 1) / 2;
  const weights = Array.from({ length: WINDOW }, (_, i) => Math.exp(-((i - half) ** 2) / (2 * SIGMA ** 2)));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return Float64Array.from(weights, (weight) => weight / total);
})();

export function ssim(a: Float32Array, b: Float32Array, width: number, height: number): number {
  checkSameLength(a, b);
  if (a.length !== width * height * 3) {
    throw new RangeError(`ssim: expected ${width}×${height}×3 values, got ${a.length}`);
  }
  if (width < WINDOW || height < WINDOW) {
    throw new RangeError(`ssim: images must be at least ${WINDOW}×${WINDOW}, got ${width}×${height}`);
  }
  let total = 0;
  for (let channel = 0; channel < 3; channel++) total += channelSsim(a, b, width, height, channel);
  return total / 3;
}

function channelSsim(
  a: Float32Array,
  b: Float32Array,
  width: number,
  height: number,
  channel: number,
): number {
  const size = width * height;
  const x = new Float64Array(size);
  const y = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    x[i] = a[i * 3 + channel]!;
    y[i] = b[i * 3 + channel]!;
  }
  const xx = x.map((value) => value * value);
  const yy = y.map((value) => value * value);
  const xy = x.map((value, i) => value * y[i]!);
  const [muX, muY, muXX, muYY, muXY] = [x, y, xx, yy, xy].map((image) => blurValid(image, width, height));
  const count = muX!.length;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const mx = muX![i]!;
    const my = muY![i]!;
    const varianceX = Math.max(0, muXX![i]! - mx * mx);
    const varianceY = Math.max(0, muYY![i]! - my * my);
    const covariance = muXY![i]! - mx * my;
    sum +=
      ((2 * mx * my + C1) * (2 * covariance + C2)) /
      ((mx * mx + my * my + C1) * (varianceX + varianceY + C2));
  }
  return sum / count;
}

/** Separable Gaussian filter keeping only outputs whose window lies inside the image. */
function blurValid(image: Float64Array, width: number, height: number): Float64Array {
  const outWidth = width - WINDOW + 1;
  const outHeight = height - WINDOW + 1;
  const rows = new Float64Array(outWidth * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (let k = 0; k < WINDOW; k++) sum += GAUSSIAN[k]! * image[y * width + x + k]!;
      rows[y * outWidth + x] = sum;
    }
  }
  const out = new Float64Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (let k = 0; k < WINDOW; k++) sum += GAUSSIAN[k]! * rows[(y + k) * outWidth + x]!;
      out[y * outWidth + x] = sum;
    }
  }
  return out;
}

function checkSameLength(a: Float32Array, b: Float32Array): void {
  if (a.length !== b.length) throw new RangeError(`images differ in size: ${a.length} vs ${b.length} values`);
}

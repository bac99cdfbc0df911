export interface ImageExposure {
  /** Average brightness from 0 (black) to 1 (white). */
  meanLuma: number;
  /** Share of pixels at or below 5/255: detail lost in shadow. */
  clippedDarkFraction: number;
  /** Share of pixels at or above 250/255: detail blown out. */
  clippedBrightFraction: number;
}

const darkClip = 5;
const brightClip = 250;

/**
 * Variance of the 4-neighbour Laplacian over the interior of a greyscale image: edges give large
 * second derivatives, so sharp images score high and blurred ones low. Only comparable between
 * images measured at the same size, which is why the analysis always measures at one fixed size.
 */
export function laplacianVariance(grey: Uint8Array, width: number, height: number): number {
  let sum = 0;
  let sumOfSquares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y += 1) {
    const row = y * width;
    for (let x = 1; x < width - 1; x += 1) {
      const at = row + x;
      const laplacian =
        (grey[at - 1] as number) +
        (grey[at + 1] as number) +
        (grey[at - width] as number) +
        (grey[at + width] as number) -
        4 * (grey[at] as number);
      sum += laplacian;
      sumOfSquares += laplacian * laplacian;
      count += 1;
    }
  }
  if (count === 0) return 0;
  const mean = sum / count;
  return sumOfSquares / count - mean * mean;
}

export function measureExposure(grey: Uint8Array): ImageExposure {
  let total = 0;
  let dark = 0;
  let bright = 0;
  // An indexed loop: iterating a Buffer with for…of is several times slower here.
  for (let index = 0; index < grey.length; index += 1) {
    const luma = grey[index] as number;
    total += luma;
    if (luma <= darkClip) dark += 1;
    else if (luma >= brightClip) bright += 1;
  }
  const count = Math.max(grey.length, 1);
  return {
    meanLuma: total / count / 255,
    clippedDarkFraction: dark / count,
    clippedBrightFraction: bright / count,
  };
}

import type { ImageExposure } from "./image-statistics";
import { perceptualHashOfBlocks, reducedSide } from "./perceptual-hash";

export interface RenderingMeasures {
  perceptualHash: string;
  blurScore: number;
  exposure: ImageExposure;
}

const darkClip = 5;
const brightClip = 250;
const maxSide = 2048;

/**
 * perceptualHash, laplacianVariance and measureExposure of one square greyscale rendering in a
 * single pass over its pixels. Every sum is of small integers, exact in a double whatever the
 * order, so each figure equals the one the separate functions give, bit for bit (a test holds
 * them to it); the separate functions stay for other callers and as the readable definition.
 */
export function measureRendering(grey: Uint8Array, side: number): RenderingMeasures {
  const block = side / reducedSide;
  if (!Number.isInteger(block) || side > maxSide || grey.length !== side * side) {
    throw new RangeError(
      `measureRendering: expected a square image whose side is a multiple of ${reducedSide}, at most ${maxSide}`,
    );
  }
  const blocks = new Float64Array(reducedSide * reducedSide);
  // A histogram instead of two comparisons per pixel: the clipped shares are read off it after.
  const histogram = new Int32Array(256);
  let laplacianSum = 0;
  let laplacianSquares = 0;
  for (let y = 0; y < side; y += 1) {
    const row = y * side;
    const blockRow = ((y / block) | 0) * reducedSide;
    for (let cell = 0; cell < reducedSide; cell += 1) {
      let sum = 0;
      for (let at = row + cell * block, end = at + block; at < end; at += 1) {
        const luma = grey[at]!;
        sum += luma;
        histogram[luma]! += 1;
      }
      blocks[blockRow + cell]! += sum;
    }
    if (y === 0 || y === side - 1) continue;
    // A row's sums stay within 32 bits (maxSide × 1020² < 2³¹), so they are kept as integers.
    let rowSum = 0;
    let rowSquares = 0;
    for (let at = row + 1, end = row + side - 1; at < end; at += 1) {
      const laplacian =
        (grey[at - 1]! + grey[at + 1]! + grey[at - side]! + grey[at + side]! - 4 * grey[at]!) | 0;
      rowSum = (rowSum + laplacian) | 0;
      rowSquares = (rowSquares + Math.imul(laplacian, laplacian)) | 0;
    }
    laplacianSum += rowSum;
    laplacianSquares += rowSquares;
  }
  let total = 0;
  let dark = 0;
  let bright = 0;
  for (let luma = 0; luma < 256; luma += 1) {
    const pixels = histogram[luma]!;
    total += luma * pixels;
    if (luma <= darkClip) dark += pixels;
    else if (luma >= brightClip) bright += pixels;
  }
  const interior = (side - 2) * (side - 2);
  const mean = laplacianSum / interior;
  const count = side * side;
  return {
    perceptualHash: perceptualHashOfBlocks(blocks),
    blurScore: laplacianSquares / interior - mean * mean,
    exposure: {
      meanLuma: total / count / 255,
      clippedDarkFraction: dark / count,
      clippedBrightFraction: bright / count,
    },
  };
}

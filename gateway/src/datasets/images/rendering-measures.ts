import { enlargeColumns, enlargeRow, planEnlargement } from "./bicubic-enlarge";
import type { ImageExposure } from "./image-statistics";
import { perceptualHashOfBlocks, reducedSide } from "./perceptual-hash";

/**
 * Every measure is taken on one fixed-size greyscale rendering (stretched to a square), so scores
 * compare across images of any size. A constant, not a parameter: V8 then folds it into the loops
 * below (about a tenth of their time).
 */
export const analysisSide = 256;

export interface RenderingMeasures {
  perceptualHash: string;
  blurScore: number;
  exposure: ImageExposure;
}

const side = analysisSide;
const block = side / reducedSide;
const pixels = side * side;
const interior = (side - 2) * (side - 2);

/**
 * perceptualHash, laplacianVariance and measureExposure of the square greyscale rendering, in a
 * single pass over its pixels. Every sum is of small integers, exact in a double whatever the
 * order, so each figure equals the one the separate functions give, bit for bit (a test holds
 * them to it); the separate functions stay for other callers and as the readable definition.
 */
export function measureRendering(grey: Uint8Array): RenderingMeasures {
  if (grey.length !== pixels) {
    throw new RangeError(`measureRendering: expected ${side}×${side} pixels, got ${grey.length}`);
  }
  const measures = new RowMeasures();
  for (let y = 0; y < side; y += 1) measures.addRow(grey, y);
  return measures.result(grey);
}

/**
 * measureRendering(enlargeGrey(grey, width, height, analysisSide, analysisSide)), with each row of
 * the enlargement measured as soon as it is made (the rendering is never allocated): the same
 * arithmetic, so the same figures, bit for bit (a test holds them to it).
 */
export function measureEnlargement(grey: Uint8Array, width: number, height: number): RenderingMeasures {
  const plan = planEnlargement(width, height, side, side);
  if (grey.length !== width * height) {
    throw new RangeError(`measureEnlargement: expected ${width}×${height} pixels, got ${grey.length}`);
  }
  if (plan.identity) return measureRendering(grey);
  const horizontal = scratch.horizontal(height * side);
  const rendering = scratch.rendering;
  enlargeColumns(grey, plan, horizontal);
  const measures = new RowMeasures();
  for (let y = 0; y < side; y += 1) {
    enlargeRow(horizontal, plan, y, rendering);
    measures.addRow(rendering, y);
  }
  return measures.result(rendering);
}

/** Counts per row: dark pixels in the low 16 bits, bright ones above (a row has 256). */
const clippedCount = Int32Array.from({ length: 256 }, (_, luma) =>
  luma <= 5 ? 1 : luma >= 250 ? 1 << 16 : 0,
);

/**
 * The measures' sums, fed one row at a time, top to bottom: the 32×32 block sums of the hash, the
 * exposure counts, and the squared Laplacian of the row above (its row below has just come).
 */
class RowMeasures {
  /** Exact in 32 bits: a block holds 8 × 8 pixels of at most 255. */
  private readonly blocks = new Int32Array(reducedSide * reducedSide);
  private total = 0;
  private dark = 0;
  private bright = 0;
  private laplacianSquares = 0;

  addRow(grey: Uint8Array, y: number): void {
    const { blocks } = this;
    const row = y * side;
    const blockRow = ((y / block) | 0) * reducedSide;
    let rowTotal = 0;
    let clipped = 0;
    for (let cell = 0, at = row; cell < reducedSide; cell += 1) {
      let sum = 0;
      for (let end = at + block; at < end; at += 1) {
        const luma = grey[at]!;
        sum += luma;
        clipped += clippedCount[luma]!;
      }
      blocks[blockRow + cell] = (blocks[blockRow + cell]! + sum) | 0;
      rowTotal += sum;
    }
    this.total += rowTotal;
    this.dark += clipped & 0xffff;
    this.bright += clipped >>> 16;
    if (y >= 2) this.laplacianSquares += laplacianSquaresOfRow(grey, row - side);
  }

  result(grey: Uint8Array): RenderingMeasures {
    const mean = laplacianSum(grey) / interior;
    return {
      perceptualHash: perceptualHashOfBlocks(Float64Array.from(this.blocks)),
      blurScore: this.laplacianSquares / interior - mean * mean,
      exposure: {
        meanLuma: this.total / pixels / 255,
        clippedDarkFraction: this.dark / pixels,
        clippedBrightFraction: this.bright / pixels,
      },
    };
  }
}

/** Σ of the squared 4-neighbour Laplacian along the interior of the row starting at `row`. */
function laplacianSquaresOfRow(grey: Uint8Array, row: number): number {
  // A row's sum stays within 32 bits (256 × 1020² < 2³¹), so it is kept as an integer.
  let squares = 0;
  let left = grey[row]!;
  let middle = grey[row + 1]!;
  for (let at = row + 1, end = row + side - 1; at < end; at += 1) {
    const right = grey[at + 1]!;
    const laplacian = (left + right + grey[at - side]! + grey[at + side]! - 4 * middle) | 0;
    squares = (squares + Math.imul(laplacian, laplacian)) | 0;
    left = middle;
    middle = right;
  }
  return squares;
}

/**
 * Σ of the Laplacian over the interior: along each row and each column the second differences
 * telescope, leaving the two pixels at each end. An integer, so exactly the pixel-by-pixel sum.
 */
function laplacianSum(grey: Uint8Array): number {
  let sum = 0;
  const last = side - 1;
  for (let index = 1; index < last; index += 1) {
    const row = index * side;
    sum += grey[row]! - grey[row + 1]! - grey[row + last - 1]! + grey[row + last]!;
    sum += grey[index]! - grey[side + index]! - grey[(last - 1) * side + index]! + grey[last * side + index]!;
  }
  return sum;
}

/**
 * Working memory reused from one image to the next (allocating and zeroing 320 KiB per image
 * cost a fifth of the measuring): every caller is synchronous, so none overlaps another.
 */
const scratch = {
  rendering: new Uint8Array(pixels),
  columns: new Int32Array(0),
  /** The first pass of an enlargement: at most 256 source rows of 256 columns. */
  horizontal(length: number): Int32Array {
    if (this.columns.length < length) this.columns = new Int32Array(side * side);
    return this.columns;
  },
};

import type { GreyPlane } from "./grey-plane";
import { hellinger } from "./vector-norms";

/**
 * Local binary patterns: each pixel's 8 neighbours (clockwise from top-left) compared with it,
 * the bits read as a byte and binned into the 58 "uniform" patterns (at most two 0/1 transitions
 * around the circle: edges, corners, lines, spots and flat areas) plus one bin for all others.
 * A neighbour counts as brighter only by more than `tolerance` lightness units, so sensor noise and
 * JPEG ripple in flat areas reads as flat. Contrast and brightness do not change the codes.
 */
export function localBinaryPatterns(plane: GreyPlane, tolerance = 2): Float64Array {
  const { width, height, values } = plane;
  const histogram = new Float64Array(uniformBinCount);
  const offsets = [-width - 1, -width, -width + 1, 1, width + 1, width, width - 1, -1];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const centre = y * width + x;
      const threshold = values[centre]! + tolerance;
      let code = 0;
      for (let bit = 0; bit < 8; bit++) {
        if (values[centre + offsets[bit]!]! > threshold) code |= 1 << bit;
      }
      histogram[uniformBins[code]!]! += 1;
    }
  }
  return hellinger(histogram);
}

const uniformBinCount = 59;

/** Byte pattern → bin: uniform patterns get bins 0…57 in code order, the rest share bin 58. */
const uniformBins = (() => {
  const bins = new Uint8Array(256);
  let next = 0;
  for (let code = 0; code < 256; code++) {
    const rotated = ((code << 1) | (code >> 7)) & 0xff;
    let transitions = 0;
    for (let diff = code ^ rotated; diff; diff &= diff - 1) transitions++;
    bins[code] = transitions <= 2 ? next++ : uniformBinCount - 1;
  }
  return bins;
})();

/** Unsigned gradient orientations (0…180°) in this many bins, 20° each, as in HOG. */
const orientationBins = 9;

/** How HOG-like orientation statistics of a plane come out. */
export interface GradientBlocks {
  /** A grid × grid layout of cells, each with its own magnitude-weighted orientation histogram. */
  cells: Float64Array;
  /** The orientation histogram of the whole plane, as Hellinger coordinates. */
  overall: Float64Array;
  /** Mean and standard deviation of the gradient magnitude (lightness units per pixel). */
  meanMagnitude: number;
  magnitudeSpread: number;
}

/**
 * Histograms of oriented gradients: central differences, each pixel voting for the two nearest
 * orientation bins by its magnitude. Each cell's histogram is L2-normalised with a floor of
 * `cellFloor` per pixel, so cells with only faint noise stay near zero instead of being
 * amplified to full weight.
 */
export function gradientBlocks(plane: GreyPlane, grid = 4, cellFloor = 0.5): GradientBlocks {
  const { width, height, values } = plane;
  const cellWidth = width / grid;
  const cellHeight = height / grid;
  const cells = new Float64Array(grid * grid * orientationBins);
  const overall = new Float64Array(orientationBins);
  let sum = 0;
  let sumOfSquares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    const cellRow = Math.floor(y / cellHeight) * grid;
    for (let x = 1; x < width - 1; x++) {
      const pixel = y * width + x;
      const dx = values[pixel + 1]! - values[pixel - 1]!;
      const dy = values[pixel + width]! - values[pixel - width]!;
      const magnitude = Math.sqrt(dx * dx + dy * dy);
      sum += magnitude;
      sumOfSquares += magnitude * magnitude;
      count++;
      if (magnitude === 0) continue;
      let angle = Math.atan2(dy, dx);
      if (angle < 0) angle += Math.PI;
      const position = (angle / Math.PI) * orientationBins - 0.5;
      const lower = Math.floor(position);
      const upperWeight = position - lower;
      const first = (lower + orientationBins) % orientationBins;
      const second = (lower + 1) % orientationBins;
      const cell = (cellRow + Math.floor(x / cellWidth)) * orientationBins;
      cells[cell + first]! += magnitude * (1 - upperWeight);
      cells[cell + second]! += magnitude * upperWeight;
      overall[first]! += magnitude * (1 - upperWeight);
      overall[second]! += magnitude * upperWeight;
    }
  }
  normaliseCells(cells, cellFloor * cellWidth * cellHeight);
  const meanMagnitude = count ? sum / count : 0;
  const magnitudeSpread = count ? Math.sqrt(Math.max(0, sumOfSquares / count - meanMagnitude ** 2)) : 0;
  return { cells, overall: hellinger(overall), meanMagnitude, magnitudeSpread };
}

function normaliseCells(cells: Float64Array, floor: number): void {
  for (let start = 0; start < cells.length; start += orientationBins) {
    let sumOfSquares = floor * floor;
    for (let bin = 0; bin < orientationBins; bin++) sumOfSquares += cells[start + bin]! ** 2;
    const scale = 1 / Math.sqrt(sumOfSquares);
    for (let bin = 0; bin < orientationBins; bin++) cells[start + bin]! *= scale;
  }
  // All cells together as one block of at most unit length.
  const shrink = 1 / Math.sqrt(cells.length / orientationBins);
  for (let index = 0; index < cells.length; index++) cells[index]! *= shrink;
}

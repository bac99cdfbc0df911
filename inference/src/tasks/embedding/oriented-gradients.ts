import type { GreyPlane } from "./grey-plane";

/**
 * Signed orientations (0…360°, so dark-to-light and light-to-dark edges differ) in this many bins
 * of 20°; folding opposite bins gives HOG's unsigned 9 bins of 0…180°.
 */
export const orientationBinCount = 18;

/**
 * Magnitude-weighted orientation histograms of one image scale, pooled over a `grid` × `grid`
 * layout of cells (row-major, `orientationBinCount` values per cell), plus the total magnitude.
 */
export interface PooledOrientations {
  grid: number;
  /** Orientation bins per cell: `orientationBinCount` signed, half that once unsigned. */
  binCount: number;
  cells: Float64Array;
  totalMagnitude: number;
  pixelCount: number;
}

/**
 * Central-difference gradients of the interior pixels; where there are several planes (colour),
 * each pixel takes the gradient of the plane where it is strongest (Dalal & Triggs), so an edge
 * between two colours of equal lightness still counts. Each pixel votes for its two nearest
 * orientation bins in proportion to its magnitude.
 */
export function pooledOrientations(planes: readonly GreyPlane[], grid: number): PooledOrientations {
  const { width, height } = planes[0]!;
  const cells = new Float64Array(grid * grid * orientationBinCount);
  let totalMagnitude = 0;
  for (let y = 1; y < height - 1; y++) {
    const cellRow = Math.min(grid - 1, Math.floor((y * grid) / height)) * grid;
    for (let x = 1; x < width - 1; x++) {
      const pixel = y * width + x;
      let dx = 0;
      let dy = 0;
      let strongest = 0;
      for (const { values } of planes) {
        const planeDx = values[pixel + 1]! - values[pixel - 1]!;
        const planeDy = values[pixel + width]! - values[pixel - width]!;
        const squared = planeDx * planeDx + planeDy * planeDy;
        if (squared > strongest) {
          strongest = squared;
          dx = planeDx;
          dy = planeDy;
        }
      }
      if (strongest === 0) continue;
      const magnitude = Math.sqrt(strongest);
      totalMagnitude += magnitude;
      let angle = Math.atan2(dy, dx);
      if (angle < 0) angle += 2 * Math.PI;
      const position = (angle / (2 * Math.PI)) * orientationBinCount - 0.5;
      const lower = Math.floor(position);
      const upperWeight = position - lower;
      const cell = (cellRow + Math.min(grid - 1, Math.floor((x * grid) / width))) * orientationBinCount;
      cells[cell + ((lower + orientationBinCount) % orientationBinCount)]! += magnitude * (1 - upperWeight);
      cells[cell + ((lower + 1) % orientationBinCount)]! += magnitude * upperWeight;
    }
  }
  return { grid, binCount: orientationBinCount, cells, totalMagnitude, pixelCount: width * height };
}

/** The same histograms summed over `factor` × `factor` groups of cells: a coarser layout. */
export function coarserPooling(pooled: PooledOrientations, factor: number): PooledOrientations {
  const grid = pooled.grid / factor;
  if (!Number.isInteger(grid) || grid < 1)
    throw new RangeError(`A ${pooled.grid}×${pooled.grid} grid cannot pool by ${factor}`);
  const bins = pooled.binCount;
  const cells = new Float64Array(grid * grid * bins);
  for (let row = 0; row < pooled.grid; row++) {
    for (let column = 0; column < pooled.grid; column++) {
      const from = (row * pooled.grid + column) * bins;
      const to = (Math.floor(row / factor) * grid + Math.floor(column / factor)) * bins;
      for (let bin = 0; bin < bins; bin++) cells[to + bin]! += pooled.cells[from + bin]!;
    }
  }
  return { ...pooled, grid, cells };
}

/** The same cells with opposite directions merged: unsigned orientations, half the bins. */
export function unsignedOrientations(pooled: PooledOrientations): PooledOrientations {
  const half = pooled.binCount / 2;
  const cells = new Float64Array(pooled.cells.length / 2);
  for (let cell = 0; cell < pooled.grid * pooled.grid; cell++) {
    for (let bin = 0; bin < half; bin++) {
      cells[cell * half + bin] =
        pooled.cells[cell * pooled.binCount + bin]! + pooled.cells[cell * pooled.binCount + bin + half]!;
    }
  }
  return { ...pooled, binCount: half, cells };
}

/**
 * Every cell's histogram over the whole image's gradient magnitude plus a floor of
 * `floorPerPixel` per pixel, square-rooted (Hellinger): contrast no longer matters, but where the
 * edges are does (an empty cell stays zero instead of being blown up to full weight), faint noise
 * stays near zero, and the block has length ≤ 1.
 */
export function normalisedCells(pooled: PooledOrientations, floorPerPixel: number): Float64Array {
  const total = pooled.totalMagnitude + floorPerPixel * pooled.pixelCount;
  return pooled.cells.map((value) => Math.sqrt(value / total));
}

/**
 * Magnitudes of the first `harmonics` Fourier coefficients of a whole-image orientation histogram,
 * each over the histogram's total: the same whatever the image's rotation. One dominant direction
 * (stripes) has all harmonics strong, two at right angles (a checkerboard) cancel the odd ones,
 * and no preferred direction (dots, noise) leaves them all weak.
 */
export function orientationSpectrum(histogram: ArrayLike<number>, harmonics: number): Float64Array {
  const count = histogram.length;
  let total = 0;
  for (let bin = 0; bin < count; bin++) total += histogram[bin]!;
  const result = new Float64Array(harmonics);
  if (total <= 0) return result;
  for (let harmonic = 1; harmonic <= harmonics; harmonic++) {
    let real = 0;
    let imaginary = 0;
    for (let bin = 0; bin < count; bin++) {
      const phase = (2 * Math.PI * harmonic * bin) / count;
      real += histogram[bin]! * Math.cos(phase);
      imaginary -= histogram[bin]! * Math.sin(phase);
    }
    result[harmonic - 1] = Math.hypot(real, imaginary) / total;
  }
  return result;
}

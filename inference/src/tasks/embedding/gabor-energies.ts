import { powerSpectrum } from "./fourier";
import type { GreyPlane } from "./grey-plane";
import { hellinger } from "./vector-norms";

/** Centre frequencies in cycles per plane width (octaves apart) and orientations of the bank. */
const frequencies = [2, 4, 8, 16];
const orientations = 6;
/** Radial bandwidth in octaves (σ of a log-Gabor) and angular σ (half the orientation spacing). */
const octaveSigma = 0.5;
const angleSigma = Math.PI / orientations / 2;

export interface GaborBlocks {
  /** Share of the image's contrast energy in each (frequency, orientation) band, as Hellinger coordinates. */
  energies: Float64Array;
  /** log(1 + mean squared deviation from the mean lightness), the plane's overall contrast. */
  logContrast: number;
  /**
   * Share of the energy in the strongest 2, 8 and 32 frequencies: near 1 for a regular pattern
   * (stripes, a grid), small for noise, whose energy spreads over the whole spectrum.
   */
  regularity: number[];
}

/**
 * Gabor filter-bank energies. By Parseval's theorem the mean squared response of a filter equals
 * the image's power spectrum weighted by the filter's squared frequency response, so one FFT of
 * the (Hann-windowed, mean-removed) plane gives every band's energy without convolving 24 times.
 * Dividing by the total makes the block independent of contrast; the contrast itself is kept apart.
 */
export function gaborEnergies(plane: GreyPlane): GaborBlocks {
  const size = plane.width;
  if (plane.height !== size || (size & (size - 1)) !== 0) {
    throw new RangeError(
      `Gabor energies need a square plane with a power-of-two side; got ${plane.width}×${plane.height}`,
    );
  }
  const windowed = windowedDeviations(plane);
  const power = powerSpectrum(windowed.values, size);
  const bank = filterBank(size);
  const energies = new Float64Array(bank.length);
  bank.forEach((filter, band) => {
    let energy = 0;
    for (let entry = 0; entry < filter.indices.length; entry++) {
      energy += power[filter.indices[entry]!]! * filter.weights[entry]!;
    }
    energies[band] = energy;
  });
  return {
    energies: hellinger(energies),
    logContrast: Math.log1p(windowed.meanSquare),
    regularity: peakShares(power, [2, 8, 32]),
  };
}

function windowedDeviations(plane: GreyPlane): { values: Float64Array; meanSquare: number } {
  const { width, height, values } = plane;
  let mean = 0;
  for (const value of values) mean += value;
  mean /= values.length;
  const rowWindow = hannWindow(width);
  const columnWindow = hannWindow(height);
  const result = new Float64Array(values.length);
  let meanSquare = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const deviation = values[y * width + x]! - mean;
      meanSquare += deviation * deviation;
      result[y * width + x] = deviation * rowWindow[x]! * columnWindow[y]!;
    }
  }
  return { values: result, meanSquare: meanSquare / values.length };
}

function peakShares(power: Float64Array, counts: readonly number[]): number[] {
  const strongest = largestValues(power, Math.max(...counts));
  let total = 0;
  for (const value of power) total += value;
  if (total <= 0) return counts.map(() => 0);
  let cumulative = 0;
  let taken = 0;
  return counts.map((count) => {
    for (; taken < count; taken++) cumulative += strongest[taken]!;
    return cumulative / total;
  });
}

/** The `count` largest values, largest first, by insertion into a short sorted list. */
function largestValues(values: Float64Array, count: number): Float64Array {
  const top = new Float64Array(count);
  for (const value of values) {
    if (value <= top[count - 1]!) continue;
    let position = count - 1;
    while (position > 0 && top[position - 1]! < value) {
      top[position] = top[position - 1]!;
      position--;
    }
    top[position] = value;
  }
  return top;
}

function hannWindow(length: number): Float64Array {
  return Float64Array.from(
    { length },
    (_, index) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (index + 0.5)) / length),
  );
}

/** A filter's squared frequency response where it is not negligible (each band covers a small patch). */
interface SparseFilter {
  indices: Uint32Array;
  weights: Float64Array;
}

const negligible = 1e-6;
const banks = new Map<number, SparseFilter[]>();

/** Squared log-Gabor responses over the spectrum, one per (frequency, orientation). */
function filterBank(size: number): SparseFilter[] {
  const cached = banks.get(size);
  if (cached) return cached;
  const bank: SparseFilter[] = [];
  for (const frequency of frequencies) {
    for (let orientation = 0; orientation < orientations; orientation++) {
      const direction = (orientation * Math.PI) / orientations;
      const indices: number[] = [];
      const weights: number[] = [];
      for (let v = 0; v < size; v++) {
        const fv = v < size / 2 ? v : v - size;
        for (let u = 0; u < size; u++) {
          const fu = u < size / 2 ? u : u - size;
          const radius = Math.hypot(fu, fv);
          if (radius === 0) continue;
          const radial = Math.log2(radius / frequency) / octaveSigma;
          // Orientation is a line, not an arrow: a wave and its mirror frequency are the same band.
          let angle = Math.atan2(fv, fu) - direction;
          angle -= Math.PI * Math.round(angle / Math.PI);
          const angular = angle / angleSigma;
          const weight = Math.exp(-(radial * radial + angular * angular));
          if (weight < negligible) continue;
          indices.push(v * size + u);
          weights.push(weight);
        }
      }
      bank.push({ indices: Uint32Array.from(indices), weights: Float64Array.from(weights) });
    }
  }
  banks.set(size, bank);
  return bank;
}

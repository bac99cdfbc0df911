import type { LabImage } from "./lab-image";
import { boundedScalars, hellinger } from "./vector-norms";

/** Bins along L (0…100), a and b (−60…60; stronger colours count in the edge bins). */
const bins = { lightness: 4, opponent: 6 } as const;
const opponentRange = 60;

/** The colour blocks of the descriptor: joint histogram, moments and a coarse layout. */
export interface ColourBlocks {
  /** 4 × 6 × 6 joint Lab histogram with soft (trilinear) binning, as Hellinger coordinates. */
  histogram: Float64Array;
  /** Mean, standard deviation and skew (cube root of the third moment) of L, a and b. */
  moments: Float64Array;
  /** Mean L, a, b of each quarter of the image (top-left, top-right, bottom-left, bottom-right). */
  layout: Float64Array;
}

export function colourBlocks(image: LabImage): ColourBlocks {
  return { histogram: hellinger(jointHistogram(image)), moments: moments(image), layout: layout(image) };
}

function jointHistogram(image: LabImage): Float64Array {
  const { lightness: nL, opponent: nAB } = bins;
  const histogram = new Float64Array(nL * nAB * nAB);
  const l = new SoftBin(nL, 0, 100);
  const a = new SoftBin(nAB, -opponentRange, opponentRange);
  const b = new SoftBin(nAB, -opponentRange, opponentRange);
  for (let pixel = 0; pixel < image.lightness.length; pixel++) {
    l.place(image.lightness[pixel]!);
    a.place(image.greenRed[pixel]!);
    b.place(image.blueYellow[pixel]!);
    for (let lStep = 0; lStep < 2; lStep++) {
      const lWeight = lStep ? l.upperWeight : 1 - l.upperWeight;
      for (let aStep = 0; aStep < 2; aStep++) {
        const weight = lWeight * (aStep ? a.upperWeight : 1 - a.upperWeight);
        const row = ((l.lower + lStep) * nAB + a.lower + aStep) * nAB + b.lower;
        histogram[row]! += weight * (1 - b.upperWeight);
        histogram[row + 1]! += weight * b.upperWeight;
      }
    }
  }
  return histogram;
}

/**
 * Linear interpolation between the two nearest bin centres: a value moving across a bin edge
 * shifts weight gradually, so similar colours get similar histograms. Values beyond the first or
 * last centre go wholly to that bin. Mutable on purpose: one per axis, reused for every pixel.
 */
class SoftBin {
  lower = 0;
  upperWeight = 0;
  private readonly width: number;

  constructor(
    private readonly count: number,
    private readonly low: number,
    high: number,
  ) {
    this.width = (high - low) / count;
  }

  place(value: number): void {
    const position = (value - this.low) / this.width - 0.5;
    if (!(position > 0)) {
      this.lower = 0;
      this.upperWeight = 0;
    } else if (position >= this.count - 1) {
      // All weight on the last bin, as the pair (second to last, last).
      this.lower = this.count - 2;
      this.upperWeight = 1;
    } else {
      this.lower = Math.floor(position);
      this.upperWeight = position - this.lower;
    }
  }
}

function moments(image: LabImage): Float64Array {
  const values = [image.lightness, image.greenRed, image.blueYellow].flatMap((plane) => {
    let mean = 0;
    for (const value of plane) mean += value;
    mean /= plane.length;
    let second = 0;
    let third = 0;
    for (const value of plane) {
      const deviation = value - mean;
      second += deviation * deviation;
      third += deviation * deviation * deviation;
    }
    return [mean, Math.sqrt(second / plane.length), Math.cbrt(third / plane.length)];
  });
  return boundedScalars(values, 100);
}

function layout(image: LabImage): Float64Array {
  const { width, height } = image;
  const sums = new Float64Array(12);
  const counts = new Float64Array(4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const quarter = (y * 2 >= height ? 2 : 0) + (x * 2 >= width ? 1 : 0);
      const pixel = y * width + x;
      sums[quarter * 3]! += image.lightness[pixel]!;
      sums[quarter * 3 + 1]! += image.greenRed[pixel]!;
      sums[quarter * 3 + 2]! += image.blueYellow[pixel]!;
      counts[quarter]! += 1;
    }
  }
  return boundedScalars(
    Array.from(sums, (sum, index) => sum / counts[Math.floor(index / 3)]!),
    100,
  );
}

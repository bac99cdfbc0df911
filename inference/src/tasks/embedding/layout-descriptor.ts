import type { RgbPixels } from "../../images/decode-image";
import type { GreyPlane } from "./grey-plane";

/**
 * The image's luma averaged over a `grid` × `grid` layout, standardised (mean 0, divided by the
 * spread plus `spreadFloor`), clipped to ±3 spreads and scaled so the block has length ≤ 1:
 * where the bright and dark parts are, whatever the exposure. A near-flat image stays near zero.
 */
export function lumaLayout(plane: GreyPlane, grid: number, spreadFloor = 8): Float64Array {
  const { width, height, values } = plane;
  const sums = new Float64Array(grid * grid);
  const counts = new Float64Array(grid * grid);
  for (let y = 0; y < height; y++) {
    const row = Math.min(grid - 1, Math.floor((y * grid) / height)) * grid;
    for (let x = 0; x < width; x++) {
      const cell = row + Math.min(grid - 1, Math.floor((x * grid) / width));
      sums[cell]! += values[y * width + x]!;
      counts[cell]! += 1;
    }
  }
  const means = sums.map((sum, cell) => sum / Math.max(1, counts[cell]!));
  const mean = means.reduce((total, value) => total + value, 0) / means.length;
  const variance = means.reduce((total, value) => total + (value - mean) ** 2, 0) / means.length;
  const spread = 3 * (Math.sqrt(variance) + spreadFloor);
  const shrink = 1 / Math.sqrt(means.length);
  return means.map((value) => Math.max(-1, Math.min(1, (value - mean) / spread)) * shrink);
}

/** Hues in this many bins of 30°. */
const hueBinCount = 12;
/** Pixels whose chroma (max − min of R, G, B) is below this count as grey and vote for no hue. */
const greyChroma = 12;

/**
 * Which hues the image has and how much: each chromatic pixel votes for its two nearest hue bins
 * by its chroma (0…1), over the number of pixels, square-rooted. A grey image gives zeros, so
 * colour never tells grey images apart; length ≤ 1.
 */
export function hueHistogram(pixels: RgbPixels): Float64Array {
  const { data } = pixels;
  const count = pixels.width * pixels.height;
  const bins = new Float64Array(hueBinCount);
  for (let pixel = 0; pixel < count; pixel++) {
    const red = data[pixel * 3]!;
    const green = data[pixel * 3 + 1]!;
    const blue = data[pixel * 3 + 2]!;
    const max = Math.max(red, green, blue);
    const chroma = max - Math.min(red, green, blue);
    if (chroma < greyChroma) continue;
    let sector: number;
    if (max === red) sector = (green - blue) / chroma;
    else if (max === green) sector = 2 + (blue - red) / chroma;
    else sector = 4 + (red - green) / chroma;
    const position = (((sector + 6) % 6) / 6) * hueBinCount - 0.5;
    const lower = Math.floor(position);
    const upperWeight = position - lower;
    const weight = chroma / 255;
    bins[(lower + hueBinCount) % hueBinCount]! += weight * (1 - upperWeight);
    bins[(lower + 1) % hueBinCount]! += weight * upperWeight;
  }
  return bins.map((value) => Math.sqrt(value / count));
}

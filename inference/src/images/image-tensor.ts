import type { Preprocessing } from "../runtime/model-runner";
import type { RgbPixels } from "./decode-image";

/** How pixels become numbers: the parts of Preprocessing that do not concern size. */
export type PixelNormalisation = Pick<Preprocessing, "layout" | "colorOrder" | "mean" | "std">;

/** ImageNet's statistics, the normalisation most published vision models were trained with. */
export const imageNetNormalisation = {
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
} as const satisfies Pick<Preprocessing, "mean" | "std">;

/**
 * Writes one image as (pixel / 255 - mean) / std per channel (mean and std in the model's channel
 * order, so a BGR model lists the blue channel's first) into `target` at `offset`, in the
 * layout and channel order asked for: [3, H, W] for NCHW, [H, W, 3] for NHWC.
 */
export function writeNormalisedPixels(
  pixels: RgbPixels,
  normalisation: PixelNormalisation,
  target: Float32Array,
  offset = 0,
): void {
  const planeSize = pixels.width * pixels.height;
  if (target.length - offset < planeSize * 3) {
    throw new RangeError(
      `The tensor has room for ${target.length - offset} values; the image needs ${planeSize * 3}`,
    );
  }
  const tables = channelTables(normalisation);
  const { data } = pixels;
  // Source channel (R, G, B) → position of that channel in the model's input.
  const order = normalisation.colorOrder === "RGB" ? [0, 1, 2] : [2, 1, 0];
  if (normalisation.layout === "NCHW") {
    // One pass over the interleaved bytes, writing the three planes side by side.
    const [r, g, b] = order as [number, number, number];
    const [rTable, gTable, bTable] = [tables[r]!, tables[g]!, tables[b]!];
    const [rBase, gBase, bBase] = [offset + r * planeSize, offset + g * planeSize, offset + b * planeSize];
    for (let pixel = 0, byte = 0; pixel < planeSize; pixel++, byte += 3) {
      target[rBase + pixel] = rTable[data[byte]!]!;
      target[gBase + pixel] = gTable[data[byte + 1]!]!;
      target[bBase + pixel] = bTable[data[byte + 2]!]!;
    }
    return;
  }
  for (let source = 0; source < 3; source++) {
    const channel = order[source]!;
    const table = tables[channel]!;
    for (let pixel = 0; pixel < planeSize; pixel++) {
      target[offset + pixel * 3 + channel] = table[data[pixel * 3 + source]!]!;
    }
  }
}

/** The normalised value of each 8-bit level, per model channel: the formula once, not per pixel. */
function channelTables(normalisation: PixelNormalisation): Float32Array[] {
  return [0, 1, 2].map((channel) => {
    const table = new Float32Array(256);
    const mean = normalisation.mean[channel]!;
    const std = normalisation.std[channel]!;
    for (let level = 0; level < 256; level++) table[level] = (level / 255 - mean) / std;
    return table;
  });
}

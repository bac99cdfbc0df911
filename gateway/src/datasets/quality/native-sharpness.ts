import sharp from "sharp";
import type { BlobStore } from "../../storage/blob-store";
import { laplacianVariance } from "../images/image-statistics";
import { isSmallForStoredSharpness } from "./blur-checks";
import { qualityThresholds as limits } from "./quality-thresholds";
import type { QualitySample } from "./quality-input";

/**
 * Sharpness of a greyscale image at its own size: the Laplacian's variance over the intensity
 * variance. Dividing by the intensity variance makes it independent of exposure and contrast
 * (both scale the Laplacian and the intensities alike), which matters for small garments on
 * black whose shades differ twofold. Undefined for a flat image: nothing there to be sharp.
 */
export function nativeSharpness(grey: Uint8Array, width: number, height: number): number | undefined {
  let sum = 0;
  let sumOfSquares = 0;
  for (let index = 0; index < grey.length; index += 1) {
    const value = grey[index]!;
    sum += value;
    sumOfSquares += value * value;
  }
  const count = grey.length || 1;
  const variance = sumOfSquares / count - (sum / count) ** 2;
  if (variance < 1e-6 || width < 3 || height < 3) return undefined;
  return laplacianVariance(grey, width, height) / variance;
}

/** Decodes an image's first frame as greyscale at its own size and measures it; undefined when unreadable or flat. */
export async function measureNativeSharpness(bytes: Buffer, maxPixels: number): Promise<number | undefined> {
  try {
    const { data, info } = await sharp(bytes, {
      failOn: "error",
      limitInputPixels: maxPixels,
      autoOrient: true,
    })
      .greyscale()
      .removeAlpha()
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) return undefined;
    return nativeSharpness(data, info.width, info.height);
  } catch {
    return undefined;
  }
}

/** A small image's file bigger than this is not worth decoding for one measure. */
const maxBytes = 4 * 1024 * 1024;
/** Images decoded at once: sharp works on libuv's threads, so a few keep them busy. */
const concurrency = 4;

/**
 * Native sharpness of the first nativeSharpnessMaxImages small images (shorter side under
 * nativeSharpnessBelowSide), read from the blob store; unreadable ones are left out.
 */
export async function measureSmallImages(
  store: Pick<BlobStore, "openRead">,
  samples: readonly QualitySample[],
): Promise<Map<string, number>> {
  const small = samples.filter(isSmallForStoredSharpness).slice(0, limits.nativeSharpnessMaxImages);
  const measured = new Map<string, number>();
  let next = 0;
  const work = async () => {
    while (next < small.length) {
      const sample = small[next++]!;
      const bytes = await readSmallBlob(store, sample.sha256);
      const value = bytes && (await measureNativeSharpness(bytes, sample.width * sample.height));
      if (value !== undefined && value !== null) measured.set(sample.id, value);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, work));
  return measured;
}

async function readSmallBlob(store: Pick<BlobStore, "openRead">, sha256: string): Promise<Buffer | null> {
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of await store.openRead(sha256)) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  } catch {
    return null;
  }
}

import { TierError } from "../runtime/errors";
import {
  defaultImageLimits,
  openImage,
  type ImageLimits,
  type ResizeTarget,
  type RgbPixels,
} from "./decode-image";
import { writeNormalisedPixels, type PixelNormalisation } from "./image-tensor";

/** An image decoded for a model, with its size before resizing (to map dense answers back). */
export interface DecodedImage {
  pixels: RgbPixels;
  originalWidth: number;
  originalHeight: number;
}

/**
 * How many images of a batch are decoded at once: enough to keep libuv's four threads busy,
 * few enough that a batch of hundreds neither holds all their pixels at once nor settles
 * hundreds of sharp calls in one burst on the event loop.
 */
const decodesInFlight = 8;

/**
 * Decodes several images, each resized to `target` or kept at its own size when it is null,
 * a few at a time off the event loop. An error names the image's position.
 */
export async function decodeImages(
  images: readonly Uint8Array[],
  target: ResizeTarget | null,
  limits: ImageLimits = defaultImageLimits,
): Promise<DecodedImage[]> {
  const decoded = new Array<DecodedImage>(images.length);
  let next = 0;
  const lane = async () => {
    while (next < images.length) {
      const index = next++;
      try {
        decoded[index] = await decodeOne(images[index]!, index, images.length, target, limits);
      } catch (error) {
        // The batch has failed: the other lanes stop instead of decoding what nobody will use.
        next = images.length;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(decodesInFlight, images.length) }, lane));
  return decoded;
}

async function decodeOne(
  bytes: Uint8Array,
  index: number,
  count: number,
  target: ResizeTarget | null,
  limits: ImageLimits,
): Promise<DecodedImage> {
  try {
    const image = await openImage(bytes, limits);
    const pixels = await image.rgb(target ?? undefined);
    return { pixels, originalWidth: image.width, originalHeight: image.height };
  } catch (error) {
    if (count > 1 && error instanceof TierError) {
      throw new TierError(error.code, `Image ${index}: ${error.message}`);
    }
    throw error;
  }
}

/** Several images of one size as one batch: data for shape [n, 3, H, W] or [n, H, W, 3]. */
export function batchOfPixels(images: readonly RgbPixels[], normalisation: PixelNormalisation): Float32Array {
  const first = images[0];
  if (!first) return new Float32Array(0);
  const imageSize = first.width * first.height * 3;
  const batch = new Float32Array(imageSize * images.length);
  images.forEach((image, index) => {
    if (image.width !== first.width || image.height !== first.height) {
      throw new RangeError(
        `Images of one batch must share a size: image 0 is ${first.width}×${first.height}, image ${index} is ${image.width}×${image.height}`,
      );
    }
    writeNormalisedPixels(image, normalisation, batch, index * imageSize);
  });
  return batch;
}

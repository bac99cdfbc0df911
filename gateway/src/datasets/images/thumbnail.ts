import sharp from "sharp";
import { badInput } from "../../errors";
import type { ImageLimits } from "./analyze-image";
import { acceptedImageFormats, readImageSignature } from "./image-signature";

export interface Thumbnail {
  bytes: Buffer;
  format: "webp";
  width: number;
  height: number;
}

/** Longest side of a thumbnail in pixels; smaller images keep their size. */
export const thumbnailMaxSide = 256;
const thumbnailQuality = 80;

/**
 * A WebP preview of the first frame, EXIF orientation applied, at most 256 px on the long side.
 * The same input always gives the same bytes (no timestamps or metadata are written), so a
 * thumbnail can be cached and compared by hash.
 */
export async function createThumbnail(bytes: Buffer, limits: ImageLimits): Promise<Thumbnail> {
  const signature = readImageSignature(bytes);
  if (signature.kind !== "accepted") {
    throw badInput(`Cannot make a thumbnail: expected ${acceptedImageFormats} bytes`);
  }
  try {
    const { data, info } = await sharp(bytes, {
      failOn: "error",
      limitInputPixels: limits.maxPixels,
      autoOrient: true,
    })
      .resize(thumbnailMaxSide, thumbnailMaxSide, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: thumbnailQuality })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, format: "webp", width: info.width, height: info.height };
  } catch (error) {
    const reason =
      error instanceof Error ? (error.message.trim().split("\n")[0] ?? error.message) : String(error);
    throw badInput(`Cannot make a thumbnail of the ${signature.format.toUpperCase()} image: ${reason}`);
  }
}

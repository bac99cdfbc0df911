import { Readable } from "node:stream";
import sharp, { type Metadata } from "sharp";
import { AppError, badInput, ErrorCode } from "../errors";
import { readZipEntry, type SafeZip, type SafeZipEntry } from "../archives/safe-zip";
import type { BlobStore } from "../storage/blob-store";
import { formatBytes } from "../storage/format-bytes";
import { PixelBudget } from "./pixel-budget";
import { sceneLimits } from "./scene-limits";
import { resolveCamera, type Camera, type ListedFrame } from "./poses/pose-types";

export interface PhotoOptions {
  /** "#rrggbb": what transparent pixels become. */
  background: string;
  maxPixels: number;
  maxImageBytes: number;
  signal?: AbortSignal;
}

/** A frame whose photo was decoded, composited and stored (image and thumbnail). */
export interface StoredFrame {
  listed: ListedFrame;
  camera: Camera;
  width: number;
  height: number;
  image: { sha256: string; sizeBytes: number };
  thumbnail: { sha256: string; sizeBytes: number };
}

export type FrameOutcome = { stored: StoredFrame } | { skipped: { path: string; reason: string } };

/** A listed frame and the archive entry of its photo (null: not in the archive). */
export interface FramePhoto {
  listed: ListedFrame;
  entry: SafeZipEntry | null;
}

/**
 * Reads, decodes and stores each frame's photo, a few at once (as the datasets' ingestion does).
 * A missing, undecodable or wrongly sized photo is a skip with its reason; a pixel bomb refuses
 * the whole upload. Every blob stored is pushed onto `stored`, which the caller releases if this
 * or anything after it fails. Outcomes are in the frames' order.
 */
export async function storeFramePhotos(
  zip: SafeZip,
  photos: readonly FramePhoto[],
  store: BlobStore,
  stored: string[],
  options: PhotoOptions,
): Promise<FrameOutcome[]> {
  const outcomes: FrameOutcome[] = new Array(photos.length);
  const budget = new PixelBudget(sceneLimits.decodePixels);
  let next = 0;
  let failed = false;
  const work = async () => {
    while (next < photos.length && !failed) {
      const index = next++;
      try {
        options.signal?.throwIfAborted();
        outcomes[index] = await storeOne(zip, photos[index]!, store, stored, options, budget);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // Settled, not raced: a worker still storing after the first failure would leave a blob behind.
  const results = await Promise.allSettled(Array.from({ length: sceneLimits.concurrency }, work));
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
  return outcomes;
}

async function storeOne(
  zip: SafeZip,
  { listed, entry }: FramePhoto,
  store: BlobStore,
  stored: string[],
  options: PhotoOptions,
  budget: PixelBudget,
): Promise<FrameOutcome> {
  const skip = (reason: string): FrameOutcome => ({ skipped: { path: listed.filePath, reason } });
  if (!entry) return skip("The photo is not in the archive");
  if (entry.sizeBytes > options.maxImageBytes) {
    return skip(
      `The photo is ${formatBytes(entry.sizeBytes)}; photos of at most ${formatBytes(options.maxImageBytes)} are accepted`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readZipEntry(zip, entry);
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.BAD_USER_INPUT) return skip(error.message);
    throw error;
  }
  let header: Metadata;
  try {
    // The header alone, without sharp's own pixel limit, so a bomb is refused by its declared size.
    header = await sharp(bytes, { failOn: "error", limitInputPixels: false }).metadata();
  } catch {
    return skip("The photo cannot be decoded: expected a PNG or JPEG image");
  }
  const { width, height } = header;
  if (!width || !height) return skip("The photo declares no width or height");
  if (width * height > options.maxPixels) {
    throw badInput(
      `The photo ${entry.path} is ${width}×${height} pixels; at most ${options.maxPixels} pixels are accepted`,
      { path: entry.path },
    );
  }
  if (Math.min(width, height) < sceneLimits.minFrameSide) {
    return skip(
      `The photo is ${width}×${height} pixels; frames need at least ${sceneLimits.minFrameSide} pixels on each side`,
    );
  }
  const camera = resolveCamera(listed.lens, width, height);
  if ("mismatch" in camera) return skip(camera.mismatch);
  const release = await budget.acquire(width * height);
  try {
    options.signal?.throwIfAborted();
    return await decodeAndStore(bytes, { listed, camera, width, height }, store, stored, options, skip);
  } finally {
    release();
  }
}

/** Decodes the photo, composites it on the background and stores it and its thumbnail. */
async function decodeAndStore(
  bytes: Buffer,
  { listed, camera, width, height }: Pick<StoredFrame, "listed" | "camera" | "width" | "height">,
  store: BlobStore,
  stored: string[],
  options: PhotoOptions,
  skip: (reason: string) => FrameOutcome,
): Promise<FrameOutcome> {
  let rgb: Buffer;
  try {
    // Decoded once; EXIF orientation is ignored because the intrinsics describe the stored pixels.
    rgb = await sharp(bytes, { failOn: "error", limitInputPixels: options.maxPixels })
      .flatten({ background: options.background })
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer();
  } catch {
    return skip("The photo is truncated or corrupt and cannot be decoded");
  }
  const raw = { raw: { width, height, channels: 3 as const } };
  const png = await sharp(rgb, raw).png().toBuffer();
  const thumbnail = await sharp(rgb, raw)
    .resize(sceneLimits.thumbnailSide, sceneLimits.thumbnailSide, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
  const image = await store.put(Readable.from([png]), { signal: options.signal });
  stored.push(image.sha256);
  const small = await store.put(Readable.from([thumbnail]), { signal: options.signal });
  stored.push(small.sha256);
  return { stored: { listed, camera, width, height, image, thumbnail: small } };
}

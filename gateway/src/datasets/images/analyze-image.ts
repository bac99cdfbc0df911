import { createHash } from "node:crypto";
import sharp, { type Metadata } from "sharp";
import { measureForAnalysis, measurePlainImage } from "./analysis-rendering";
import { canEnlargeLikeLibvips } from "./bicubic-enlarge";
import type { ImageExposure } from "./image-statistics";
import {
  acceptedImageFormats,
  describeLeadingBytes,
  readImageSignature,
  type DatasetImageFormat,
} from "./image-signature";
import { readPlainImageHeader } from "./plain-image-header";
import { analysisSide, type RenderingMeasures } from "./rendering-measures";

export { analysisSide };

export interface ImageLimits {
  /** Largest width × height accepted (of the first frame), checked from the header before decoding. */
  maxPixels: number;
}

export interface ImageAnalysis {
  format: DatasetImageFormat;
  /** Size of the first frame after EXIF orientation: what a viewer shows. */
  width: number;
  height: number;
  /** Of the bytes as uploaded, hex. */
  sha256: string;
  /** 64-bit DCT pHash as 16 hex digits (see perceptual-hash.ts); compare with hammingDistance. */
  perceptualHash: string;
  /** Variance of the Laplacian at 256×256 greyscale; low means blurred (see image-statistics.ts). */
  blurScore: number;
  exposure: ImageExposure;
  /** More than one frame: every measure above is of the first frame only. */
  animated: boolean;
  frameCount: number;
}

export type ImageRejectionReason =
  "empty-file" | "not-an-image" | "unsupported-format" | "corrupt" | "too-many-pixels";

export interface ImageRejection {
  reason: ImageRejectionReason;
  /** For the person who uploaded the file: what was expected and what came. */
  message: string;
}

export type ImageAnalysisResult =
  { ok: true; image: ImageAnalysis } | { ok: false; rejection: ImageRejection };

/**
 * Analyses one dataset image. A bad file is a result, not an exception, because ingestion reports
 * it per file and goes on. The header is read first (no pixels allocated) so a decompression bomb
 * is refused by its declared size; the pixels are then decoded once, by libvips off the event loop
 * (see analysis-rendering.ts), and measured in one pass (rendering-measures.ts).
 *
 * A small plain image (plain-image-header.ts: 8-bit grey or RGB, nothing to rotate, convert or
 * flatten) has its header read here instead of by sharp, and is decoded in one call. If that
 * decode fails or disagrees with the header, the image goes the general way from the start, so
 * every answer, rejections' wording included, is the one the general way gives.
 */
export async function analyzeImage(bytes: Buffer, limits: ImageLimits): Promise<ImageAnalysisResult> {
  if (bytes.length === 0)
    return rejected("empty-file", `The file is empty; expected ${acceptedImageFormats} bytes`);
  const signature = readImageSignature(bytes);
  if (signature.kind === "unsupported") {
    return rejected(
      "unsupported-format",
      `The file is a ${signature.format} image; expected ${acceptedImageFormats}`,
    );
  }
  if (signature.kind === "unknown") {
    return rejected(
      "not-an-image",
      `The file is not a ${acceptedImageFormats} image (${bytes.length} bytes starting ${describeLeadingBytes(bytes)})`,
    );
  }
  const format = signature.format;
  const plain = readPlainImageHeader(bytes, format);
  if (
    plain &&
    plain.width * plain.height <= limits.maxPixels &&
    canEnlargeLikeLibvips(plain.width, plain.height, analysisSide, analysisSide)
  ) {
    const { width, height, channels } = plain;
    const measures = await measurePlainImage(bytes, width, height, limits.maxPixels, channels).catch(
      () => null,
    );
    if (measures) return analysed(bytes, format, width, height, 1, measures);
  }
  return analyzeThroughHeader(bytes, format, limits);
}

/** The general way: sharp reads the header, then the pixels are rendered and measured. */
async function analyzeThroughHeader(
  bytes: Buffer,
  format: DatasetImageFormat,
  limits: ImageLimits,
): Promise<ImageAnalysisResult> {
  const label = format.toUpperCase();
  let header: Metadata;
  try {
    // sharp's own limit is lifted for the header so the check below can name the declared size.
    header = await sharp(bytes, { failOn: "error", limitInputPixels: false }).metadata();
  } catch (error) {
    return rejected("corrupt", `The ${label} image cannot be read${reasonOf(error)}`);
  }
  const { width, height } = header.autoOrient ?? header;
  if (!width || !height) return rejected("corrupt", `The ${label} image declares no width or height`);
  if (width * height > limits.maxPixels) {
    return rejected(
      "too-many-pixels",
      `The image is ${width}×${height} pixels (${megapixels(width * height)} MP); at most ${megapixels(limits.maxPixels)} MP are accepted`,
    );
  }
  let measures: RenderingMeasures;
  try {
    measures = await measureForAnalysis(bytes, header, limits.maxPixels);
  } catch (error) {
    return rejected("corrupt", `The ${label} image is truncated or corrupt${reasonOf(error)}`);
  }
  return analysed(bytes, format, width, height, header.pages ?? 1, measures);
}

function analysed(
  bytes: Buffer,
  format: DatasetImageFormat,
  width: number,
  height: number,
  frameCount: number,
  measures: RenderingMeasures,
): ImageAnalysisResult {
  return {
    ok: true,
    image: {
      format,
      width,
      height,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      perceptualHash: measures.perceptualHash,
      blurScore: measures.blurScore,
      exposure: measures.exposure,
      animated: frameCount > 1,
      frameCount,
    },
  };
}

function rejected(reason: ImageRejectionReason, message: string): ImageAnalysisResult {
  return { ok: false, rejection: { reason, message } };
}

function megapixels(pixels: number): string {
  return String(Math.round(pixels / 1e5) / 10);
}

/**
 * libvips keeps one error buffer for the whole process: when several images fail at once, one
 * failure may find the buffer already cleared and sharp reports "Unknown error". That says
 * nothing to a person, so the reason is left out then rather than shown.
 */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.trim().split("\n")[0] ?? message;
  return reason === "" || reason === "Unknown error" ? "" : `: ${reason}`;
}

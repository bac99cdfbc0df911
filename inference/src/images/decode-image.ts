import sharp from "sharp";
import { defaultConfigurableLimits } from "../limits";
import { invalidArgument, TierError } from "../runtime/errors";
import { letterboxOf, letterboxPadValue } from "./letterbox";
import { acceptedFormats, describeLeadingBytes, sniffImageFormat, type ImageFormat } from "./image-format";

export interface ImageLimits {
  /** Largest width × height accepted (of the first frame), checked before any pixel is decoded. */
  maxInputPixels: number;
  /**
   * Largest float tensor (3 float32 values per pixel) the images a task decodes at once may make
   * for a model (INFERENCE_MAX_TENSOR_BYTES): larger calls are run in smaller groups, and an image
   * that alone is larger is refused before it is decoded.
   */
  maxTensorBytes: number;
}

/** 50 megapixels: a 8660×5773 photo fits, a decompression bomb's declared 10⁹ pixels does not. */
export const defaultImageLimits: ImageLimits = {
  maxInputPixels: 50_000_000,
  maxTensorBytes: defaultConfigurableLimits.maxTensorBytes,
};

/** 8-bit sRGB pixels, three bytes per pixel, rows top to bottom. */
export interface RgbPixels {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface ResizeTarget {
  width: number;
  height: number;
  /**
   * "stretch" resizes to exactly width×height; "cover" keeps the aspect ratio and centre-crops;
   * "letterbox" keeps the aspect ratio and centres the image on grey 114 (letterboxOf).
   */
  fit: "stretch" | "cover" | "letterbox";
}

/** An encoded image whose header has been checked; `rgb` decodes its pixels. */
export interface OpenedImage {
  format: ImageFormat;
  /** Size after EXIF orientation, of the first frame. */
  width: number;
  height: number;
  /** The first frame, EXIF orientation applied, alpha dropped, resized to `target` when given. */
  rgb(target?: ResizeTarget): Promise<RgbPixels>;
}

/**
 * Checks that `bytes` are a JPEG, PNG, WebP or GIF within the pixel limit without decoding pixels.
 * Everything wrong with the bytes is INVALID_ARGUMENT naming what was wrong.
 */
export async function openImage(
  bytes: Uint8Array,
  limits: ImageLimits = defaultImageLimits,
): Promise<OpenedImage> {
  if (bytes.length === 0) throw invalidArgument(`The image is empty; expected ${acceptedFormats} bytes`);
  const format = sniffImageFormat(bytes);
  if (!format) {
    throw invalidArgument(
      `The bytes are not a ${acceptedFormats} image (${bytes.length} bytes starting ${describeLeadingBytes(bytes)})`,
    );
  }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Reading the header allocates no pixels, so sharp's own limit is lifted here: the check below
  // then names the declared size instead of failing with sharp's bare "exceeds pixel limit".
  const metadata = await sharp(input, { failOn: "error", limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw invalidArgument(`The ${format.toUpperCase()} image cannot be read: ${reasonOf(error)}`);
    });
  const { width, height } = metadata.autoOrient ?? metadata;
  if (!width || !height)
    throw invalidArgument(`The ${format.toUpperCase()} image declares no width or height`);
  checkPixelLimit(width, height, limits);
  return {
    format,
    width,
    height,
    rgb: (target) => decodeRgb(input, format, limits, target, { width, height }),
  };
}

async function decodeRgb(
  input: Buffer,
  format: ImageFormat,
  limits: ImageLimits,
  target: ResizeTarget | undefined,
  oriented: { width: number; height: number },
): Promise<RgbPixels> {
  // "error" rather than sharp's default "warning": truncated and corrupt data fails, while the
  // benign warnings many cameras' JPEGs raise (extraneous bytes before a marker) do not.
  let pipeline = sharp(input, { failOn: "error", limitInputPixels: limits.maxInputPixels, autoOrient: true });
  if (target?.fit === "letterbox") {
    pipeline = letterboxed(pipeline, oriented, target);
  } else if (target) {
    pipeline = pipeline.resize(target.width, target.height, {
      fit: target.fit === "stretch" ? "fill" : "cover",
      position: "centre",
      // Triangle filter: what PIL's bilinear (torchvision's default) does, antialiased when shrinking.
      kernel: "linear",
    });
  }
  try {
    const { data, info } = await pipeline
      .removeAlpha()
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    };
  } catch (error) {
    throw invalidArgument(`The ${format.toUpperCase()} image is truncated or corrupt: ${reasonOf(error)}`);
  }
}

/** Resized within the target and padded to it; sharp runs resize before extend in one pipeline. */
function letterboxed(
  pipeline: ReturnType<typeof sharp>,
  oriented: { width: number; height: number },
  target: ResizeTarget,
): ReturnType<typeof sharp> {
  const box = letterboxOf(oriented, target);
  const grey = { r: letterboxPadValue, g: letterboxPadValue, b: letterboxPadValue, alpha: 1 };
  return pipeline
    .resize(box.width, box.height, { fit: "fill", kernel: "linear" })
    .extend({ top: box.top, bottom: box.bottom, left: box.left, right: box.right, background: grey });
}

function checkPixelLimit(width: number, height: number, limits: ImageLimits): void {
  if (width * height <= limits.maxInputPixels) return;
  throw invalidArgument(
    `The image is ${width}×${height} pixels (${megapixels(width * height)} MP); at most ${megapixels(limits.maxInputPixels)} MP are accepted`,
  );
}

function megapixels(pixels: number): string {
  return String(Math.round(pixels / 1e5) / 10);
}

function reasonOf(error: unknown): string {
  if (error instanceof TierError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split("\n")[0] ?? message;
}

import sharp, { type Metadata } from "sharp";
import { canEnlargeLikeLibvips, enlargeGrey } from "./bicubic-enlarge";
import { srgbToGrey } from "./srgb-to-grey";

/**
 * Every measure is taken on one fixed-size greyscale rendering (stretched to a square), so scores
 * compare across images of any size.
 */
export const analysisSide = 256;

/**
 * The 256×256 greyscale rendering the analysis measures, exactly as libvips makes it with
 * `resize(256, 256, { fit: "fill" }).greyscale()`: stored hashes and scores stay comparable.
 *
 * An image no larger than 256 on either side, plain 8-bit sRGB or grey with nothing to convert
 * (no alpha, ICC profile, rotation or further frames), is decoded once at its own size and
 * converted and enlarged here (srgb-to-grey.ts, bicubic-enlarge.ts reproduce libvips' arithmetic).
 * Measured on 64–128 px JPEGs and PNGs (bench `datasets analysis`): libvips' colour conversion and
 * enlargement cost about 4 ms of CPU per image, 3.5 times the decode, mostly per-operation set-up
 * and a per-pixel interpolator call; done here they cost about 1.5 ms, on the event loop in one
 * synchronous stretch. Anything else is rendered by libvips as before (a large JPEG is then
 * decoded at 1/2 to 1/8 scale by libjpeg, cheaper than decoding it whole).
 *
 * The arithmetic is libvips 8.18's (sharp 0.35); analysis-rendering.test.ts compares the result
 * with sharp's own rendering bit for bit, so an upgrade that changes libvips' resampling fails there.
 */
export async function renderForAnalysis(
  bytes: Buffer,
  header: Metadata,
  maxPixels: number,
): Promise<Uint8Array> {
  if (rendersItself(header)) {
    // failOn "error" rather than sharp's default "warning": truncated and corrupt data fails, while
    // the benign warnings many cameras' JPEGs raise (extraneous bytes before a marker) do not.
    const { data, info } = await sharp(bytes, { failOn: "error", limitInputPixels: maxPixels })
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = info;
    // The header promised these; a decoder that disagrees goes the general way.
    if (width === header.width && height === header.height && (channels === 1 || channels === 3)) {
      const grey = channels === 3 ? srgbToGrey(data, width * height) : data;
      return enlargeGrey(grey, width, height, analysisSide, analysisSide);
    }
  }
  return renderWithLibvips(bytes, maxPixels);
}

/** Whether renderForAnalysis decodes this image once and renders it here (else libvips renders it). */
export function rendersItself(header: Metadata): boolean {
  const { width, height } = header;
  return (
    (header.format === "jpeg" || header.format === "png" || header.format === "webp") &&
    width !== undefined &&
    height !== undefined &&
    canEnlargeLikeLibvips(width, height, analysisSide, analysisSide) &&
    (header.pages ?? 1) === 1 &&
    (header.orientation ?? 1) === 1 &&
    header.depth === "uchar" &&
    !header.hasAlpha &&
    !header.hasProfile &&
    ((header.space === "srgb" && header.channels === 3) || (header.space === "b-w" && header.channels === 1))
  );
}

async function renderWithLibvips(bytes: Buffer, maxPixels: number): Promise<Uint8Array> {
  // Without `pages`, sharp decodes only the first frame of an animation.
  const { data, info } = await sharp(bytes, {
    failOn: "error",
    limitInputPixels: maxPixels,
    autoOrient: true,
  })
    .resize(analysisSide, analysisSide, { fit: "fill" })
    .greyscale()
    .removeAlpha()
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || data.length !== analysisSide * analysisSide) {
    throw new Error(
      `expected ${analysisSide}×${analysisSide} grey pixels, got ${info.width}×${info.height}×${info.channels}`,
    );
  }
  return data;
}

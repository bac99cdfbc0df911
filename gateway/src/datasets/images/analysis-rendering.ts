import sharp, { type Metadata } from "sharp";
import { canEnlargeLikeLibvips } from "./bicubic-enlarge";
import {
  analysisSide,
  measureEnlargement,
  measureRendering,
  type RenderingMeasures,
} from "./rendering-measures";
import { srgbToGrey } from "./srgb-to-grey";

/**
 * The measures of the 256×256 greyscale rendering, exactly as libvips makes it with
 * `resize(256, 256, { fit: "fill" }).greyscale()`: stored hashes and scores stay comparable.
 *
 * An image no larger than 256 on either side, plain 8-bit sRGB or grey with nothing to convert
 * (no alpha, ICC profile, rotation or further frames), is decoded once at its own size and
 * converted, enlarged and measured here (srgb-to-grey.ts, bicubic-enlarge.ts reproduce libvips'
 * arithmetic; rendering-measures.ts measures each row as it is made). Measured on 64–128 px JPEGs
 * and PNGs (bench `datasets analysis`): libvips' colour conversion and enlargement cost about 4 ms
 * of CPU per image, 3.5 times the decode, mostly per-operation set-up and a per-pixel interpolator
 * call; done here, measures included, about 0.7 ms (1.5 ms before srgb-to-grey.ts looked its
 * steps up and rendering-measures.ts measured each row as it was made). Anything else is rendered
 * by libvips as before (a large JPEG is then decoded at 1/2 to 1/8 scale by libjpeg, cheaper than
 * decoding it whole).
 *
 * The arithmetic is libvips 8.18's (sharp 0.35); analysis-rendering.test.ts compares the result
 * with sharp's own rendering bit for bit, so an upgrade that changes libvips' resampling fails there.
 */
export async function measureForAnalysis(
  bytes: Buffer,
  header: Metadata,
  maxPixels: number,
): Promise<RenderingMeasures> {
  if (rendersItself(header)) {
    const measures = await measurePlainImage(bytes, header.width!, header.height!, maxPixels);
    if (measures) return measures;
  }
  return measureRendering(await renderWithLibvips(bytes, maxPixels));
}

/**
 * The measures of an image rendersItself accepts (or one plain-image-header.ts calls plain), from
 * its one decode; null when the decoder does not give the `width`×`height` grey or RGB pixels
 * promised (`channels` of them, when given), and the image must go the general way. A decoder
 * error is thrown.
 */
export async function measurePlainImage(
  bytes: Buffer,
  width: number,
  height: number,
  maxPixels: number,
  channels?: 1 | 3,
): Promise<RenderingMeasures | null> {
  // failOn "error" rather than sharp's default "warning": truncated and corrupt data fails, while
  // the benign warnings many cameras' JPEGs raise (extraneous bytes before a marker) do not.
  const { data, info } = await sharp(bytes, { failOn: "error", limitInputPixels: maxPixels })
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) return null;
  if (channels === undefined ? info.channels !== 1 && info.channels !== 3 : info.channels !== channels) {
    return null;
  }
  const pixels = width * height;
  // Plain Uint8Arrays either way: one kind of array keeps the enlargement's loops monomorphic.
  const grey =
    info.channels === 3
      ? srgbToGrey(data, pixels, greyScratch(pixels)).subarray(0, pixels)
      : new Uint8Array(data.buffer, data.byteOffset, pixels);
  return measureEnlargement(grey, width, height);
}

/** Whether measureForAnalysis decodes this image once and renders it here (else libvips renders it). */
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

let greyPixels = new Uint8Array(analysisSide * analysisSide);

/** Grey pixels reused from one image to the next: measurePlainImage uses them before it awaits again. */
function greyScratch(pixels: number): Uint8Array {
  if (greyPixels.length < pixels) greyPixels = new Uint8Array(pixels);
  return greyPixels;
}

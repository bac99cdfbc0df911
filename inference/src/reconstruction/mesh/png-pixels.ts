import zlib from "node:zlib";
import { invalidArgument } from "../../runtime/errors.js";

/** Largest texture decoded for rasterising (pixels): a guard against a decompression bomb. */
const MAX_TEXTURE_PIXELS = 64 * 1024 * 1024;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Channels per colour type: grey, RGB, grey + alpha, RGBA (8-bit each). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/**
 * The pixels of an 8-bit, non-interlaced PNG as RGB (alpha dropped), decoded synchronously so the
 * rasteriser stays a plain function. That covers the photos the tier writes with sharp; other
 * PNGs (16-bit, palette, interlaced) are refused by name.
 */
export function decodePng(png: Uint8Array): RgbImage {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (bytes.length < 33 || !SIGNATURE.every((b, i) => bytes[i] === b))
    throw invalidArgument("the texture is not a PNG");
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const [bitDepth, colourType, , , interlace] = bytes.subarray(24, 29);
  const channels = CHANNELS[colourType!];
  if (bitDepth !== 8 || channels === undefined || interlace !== 0) {
    throw invalidArgument("the texture must be an 8-bit, non-interlaced grey, RGB or RGBA PNG");
  }
  if (width * height > MAX_TEXTURE_PIXELS)
    throw invalidArgument(`the texture is over ${MAX_TEXTURE_PIXELS} pixels`);
  const data: Buffer[] = [];
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString("ascii", at + 4, at + 8);
    if (type === "IDAT") data.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === "IEND") break;
    at += 12 + length;
  }
  const stride = width * channels;
  const raw = zlib.inflateSync(Buffer.concat(data), { maxOutputLength: (stride + 1) * height });
  if (raw.length !== (stride + 1) * height) throw invalidArgument("the texture's PNG data is truncated");
  const pixels = unfilter(raw, stride, height, channels);
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) rgb[3 * p + c] = pixels[p * channels + (channels < 3 ? 0 : c)]!;
  }
  return { width, height, rgb };
}

/** Undoes PNG's per-row filters (None, Sub, Up, Average, Paeth). */
function unfilter(raw: Uint8Array, stride: number, height: number, bytesPerPixel: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    if (filter > 4) throw invalidArgument("the texture's PNG data is corrupt");
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const at = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= bytesPerPixel ? out[at + x - bytesPerPixel]! : 0;
      const up = y > 0 ? out[at - stride + x]! : 0;
      const upLeft = y > 0 && x >= bytesPerPixel ? out[at - stride + x - bytesPerPixel]! : 0;
      const predictor =
        filter === 1
          ? left
          : filter === 2
            ? up
            : filter === 3
              ? (left + up) >> 1
              : filter === 4
                ? paeth(left, up, upLeft)
                : 0;
      out[at + x] = (row[x]! + predictor) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

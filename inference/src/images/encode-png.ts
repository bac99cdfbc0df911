import sharp from "sharp";

export interface Size {
  width: number;
  height: number;
}

/**
 * A one-channel PNG: 8-bit from a Uint8Array, 16-bit from a Uint16Array. Values are written as
 * they are (no colour management), which is what a label mask or a depth map needs.
 */
export function greyPng(values: Uint8Array | Uint16Array, size: Size): Promise<Buffer> {
  return sharp(values, { raw: { width: size.width, height: size.height, channels: 1 } })
    .toColourspace(values instanceof Uint16Array ? "grey16" : "b-w")
    .png()
    .toBuffer();
}

/** An 8-bit RGB PNG from interleaved pixels. */
export function rgbPng(pixels: Uint8Array, size: Size): Promise<Buffer> {
  return sharp(pixels, { raw: { width: size.width, height: size.height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A 16-bit one-channel image resized with a triangle (bilinear) filter, values kept 16-bit. */
export async function resizeGrey16(values: Uint16Array, from: Size, to: Size): Promise<Uint16Array> {
  if (from.width === to.width && from.height === to.height) return values;
  const resized = await sharp(values, { raw: { width: from.width, height: from.height, channels: 1 } })
    .resize(to.width, to.height, { fit: "fill", kernel: "linear" })
    .toColourspace("grey16")
    .raw({ depth: "ushort" })
    .toBuffer();
  return new Uint16Array(resized.buffer.slice(resized.byteOffset, resized.byteOffset + resized.byteLength));
}

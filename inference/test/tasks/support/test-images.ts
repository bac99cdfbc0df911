import zlib from "node:zlib";
import sharp from "sharp";

export type Rgb = readonly [number, number, number];

/** An image from a colour per pixel (row-major), encoded losslessly as PNG. */
export function pngOf(
  width: number,
  height: number,
  colourAt: (x: number, y: number) => Rgb,
): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(colourAt(x, y), (y * width + x) * 3);
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Pixels of a one-channel PNG (8- or 16-bit) as numbers, row-major. */
export async function greyValues(
  png: Uint8Array,
): Promise<{ width: number; height: number; depth: string; values: number[] }> {
  const metadata = await sharp(png).metadata();
  const sixteen = metadata.depth === "ushort";
  const { data, info } = await sharp(png)
    .toColourspace(sixteen ? "grey16" : "b-w")
    .raw({ depth: sixteen ? "ushort" : "uchar" })
    .toBuffer({ resolveWithObject: true });
  const values = sixteen ? [...new Uint16Array(data.buffer, data.byteOffset, data.length / 2)] : [...data];
  return { width: info.width, height: info.height, depth: metadata.depth ?? "", values };
}

/**
 * A PNG whose header declares width × height while carrying almost no data: what a
 * decompression bomb looks like to a decoder before it allocates the pixels.
 */
export function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(Buffer.alloc(width * 3 + 1))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

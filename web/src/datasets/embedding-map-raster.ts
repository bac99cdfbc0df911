import type { Rgb } from "../playground/turbo-colour-scale";
import type { ScreenTransform } from "./embedding-map-geometry";

/** An RGBA image as ImageData holds it: `width` × `height` pixels, four bytes each, row by row. */
export interface PixelImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

export interface RasterPoints {
  /** x0, y0, x1, y1, … in map units. */
  coordinates: Float32Array;
  /** Point indices per class (see groupByClass); later classes are written over earlier ones. */
  byClass: readonly Uint32Array[];
  colours: readonly Rgb[];
  /** Class indices not written. */
  hidden: ReadonlySet<number>;
}

/** ImageData's bytes are R, G, B, A in memory: a 32-bit word reads them in the platform's byte order. */
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function opaque([red, green, blue]: Rgb): number {
  return littleEndian
    ? ((255 << 24) | (blue << 16) | (green << 8) | red) >>> 0
    : ((red << 24) | (green << 16) | (blue << 8) | 255) >>> 0;
}

/**
 * Writes every visible point as an opaque square of `side` pixels in its class's colour straight
 * into the image's pixels (cleared first), the square's centre where `transform` puts the point;
 * squares are clipped at the image's edges. One typed-array pass over 50,000 points takes a few
 * milliseconds, where a canvas fillRect per point costs tens of them, and the browser then copies
 * the pixels once instead of rasterising 50,000 rectangles. Returns how many points it wrote.
 */
export function rasterisePoints(
  image: PixelImage,
  transform: ScreenTransform,
  side: number,
  points: RasterPoints,
): number {
  const { width, height } = image;
  const pixels = new Uint32Array(image.data.buffer, image.data.byteOffset, width * height);
  pixels.fill(0);
  const { originX, originY, scale } = transform;
  const half = side / 2;
  let written = 0;
  points.byClass.forEach((members, classIndex) => {
    if (points.hidden.has(classIndex)) return;
    const colour = opaque(points.colours[classIndex] ?? [0, 0, 0]);
    written += members.length;
    for (const point of members) {
      const left = Math.round(originX + points.coordinates[point * 2]! * scale - half);
      const top = Math.round(originY - points.coordinates[point * 2 + 1]! * scale - half);
      const x0 = Math.max(0, left);
      const x1 = Math.min(width, left + side);
      const y1 = Math.min(height, top + side);
      if (x0 >= x1) continue;
      for (let y = Math.max(0, top); y < y1; y += 1) {
        for (let at = y * width + x0, end = y * width + x1; at < end; at += 1) pixels[at] = colour;
      }
    }
  });
  return written;
}

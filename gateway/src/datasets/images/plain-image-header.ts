import type { DatasetImageFormat } from "./image-signature";

/** What a plain image's header declares: its size and 8-bit grey (1) or RGB (3) pixels. */
export interface PlainImageHeader {
  width: number;
  height: number;
  channels: 1 | 3;
}

/**
 * The header of a JPEG, PNG or lossy WebP that holds nothing but 8-bit grey or RGB pixels, read
 * here so that such an image needs one call to sharp (the decode) instead of two (the header, then
 * the decode); null for anything else, which then goes through sharp's header as before.
 *
 * Deliberately narrow: every part of the header that libvips reads an orientation, a colour
 * profile, an alpha channel, frames or another colour space from is refused rather than
 * interpreted — a JPEG may hold only JFIF, quantisation and Huffman tables, restart intervals,
 * comments and an 8-bit baseline, extended or progressive frame of 1 or 3 components before its
 * first scan; a PNG only IHDR (8-bit grey or RGB), pHYs, tIME, IDAT and IEND; a WebP only its
 * one lossy frame. So a header this accepts is one sharp's header also finds plain (rendersItself,
 * same width and height); analysis-rendering.test.ts checks that on images with each of those parts.
 */
export function readPlainImageHeader(bytes: Uint8Array, format: DatasetImageFormat): PlainImageHeader | null {
  switch (format) {
    case "jpeg":
      return plainJpeg(bytes);
    case "png":
      return plainPng(bytes);
    case "webp":
      return plainWebp(bytes);
    default:
      return null;
  }
}

/** Markers allowed before the first scan, besides the frame itself. */
const harmlessJpegMarkers = new Set([
  0xc4, // DHT
  0xdb, // DQT
  0xdd, // DRI
  0xfe, // COM
]);
/** SOF0–SOF2: Huffman-coded baseline, extended and progressive frames. */
const plainJpegFrames = new Set([0xc0, 0xc1, 0xc2]);
const jfif = [0x4a, 0x46, 0x49, 0x46, 0x00];

function plainJpeg(bytes: Uint8Array): PlainImageHeader | null {
  let frame: PlainImageHeader | null = null;
  // After SOI (ff d8): segments of ff, marker, 16-bit length (which counts itself), data.
  for (let at = 2; at + 4 <= bytes.length;) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    if (marker === 0xda) return frame; // SOS: what libvips reads of the header ends here.
    const length = uint16(bytes, at + 2);
    const data = at + 4;
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) return null;
    if (plainJpegFrames.has(marker)) {
      if (frame) return null;
      const components = bytes[data + 5]!;
      if (bytes[data] !== 8 || (components !== 1 && components !== 3) || length !== 8 + 3 * components) {
        return null;
      }
      const height = uint16(bytes, data + 1);
      const width = uint16(bytes, data + 3);
      if (width === 0 || height === 0) return null;
      frame = { width, height, channels: components };
    } else if (marker === 0xe0) {
      if (!jfif.every((byte, index) => bytes[data + index] === byte)) return null;
    } else if (!harmlessJpegMarkers.has(marker)) {
      return null;
    }
    at = end;
  }
  return null;
}

const pngSignatureLength = 8;
const harmlessPngChunks = new Set(["pHYs", "tIME", "IDAT"]);

function plainPng(bytes: Uint8Array): PlainImageHeader | null {
  const ihdr = pngSignatureLength;
  if (bytes.length < ihdr + 8 + 13 + 4 || chunkType(bytes, ihdr) !== "IHDR" || uint32(bytes, ihdr) !== 13) {
    return null;
  }
  const width = uint32(bytes, ihdr + 8);
  const height = uint32(bytes, ihdr + 12);
  const bitDepth = bytes[ihdr + 16]!;
  const colourType = bytes[ihdr + 17]!;
  if (width === 0 || height === 0 || bitDepth !== 8 || (colourType !== 0 && colourType !== 2)) return null;
  // Every chunk to IEND: an orientation (eXIf) or a profile may follow the pixels.
  for (let at = ihdr + 8 + 13 + 4; at + 12 <= bytes.length;) {
    const type = chunkType(bytes, at);
    if (type === "IEND") return { width, height, channels: colourType === 0 ? 1 : 3 };
    if (!harmlessPngChunks.has(type)) return null;
    at += 12 + uint32(bytes, at);
  }
  return null;
}

function plainWebp(bytes: Uint8Array): PlainImageHeader | null {
  // RIFF, size, WEBP, then one "VP8 " chunk (simple lossy: no alpha, profile, metadata or frames).
  if (bytes.length < 30 || chunkType(bytes, 8) !== "VP8 ") return null;
  const chunkSize = uint32le(bytes, 16);
  if (uint32le(bytes, 4) !== 4 + 8 + chunkSize + (chunkSize & 1)) return null;
  // A key frame's tag (bit 0 clear), the start code 9d 01 2a, then 14-bit width and height.
  if ((bytes[20]! & 1) !== 0 || bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) return null;
  const width = uint16le(bytes, 26) & 0x3fff;
  const height = uint16le(bytes, 28) & 0x3fff;
  if (width === 0 || height === 0) return null;
  return { width, height, channels: 3 };
}

function chunkType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
}

function uint16(bytes: Uint8Array, at: number): number {
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function uint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function uint16le(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8);
}

function uint32le(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

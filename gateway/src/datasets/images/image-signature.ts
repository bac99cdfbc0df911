/** The encodings a dataset accepts; anything else is refused before a decoder sees it. */
export type DatasetImageFormat = "jpeg" | "png" | "webp" | "gif";

export const acceptedImageFormats = "JPEG, PNG, WebP or GIF";

export type ImageSignature =
  | { kind: "accepted"; format: DatasetImageFormat }
  /** A recognised image encoding outside the accepted four (libvips could parse several of them). */
  | { kind: "unsupported"; format: string }
  | { kind: "unknown" };

/**
 * Names the encoding from the first bytes. Checking the signature before sharp keeps SVG, PDF,
 * TIFF and the like away from libvips, and tells "a TIFF we do not take" apart from "not an image".
 */
export function readImageSignature(bytes: Uint8Array): ImageSignature {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return accepted("jpeg");
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return accepted("png");
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return accepted("gif");
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes.subarray(8), ascii("WEBP")))
    return accepted("webp");
  const other = unsupportedFormat(bytes);
  return other ? { kind: "unsupported", format: other } : { kind: "unknown" };
}

/** The first bytes in hex, for messages about data that is not an image. */
export function describeLeadingBytes(bytes: Uint8Array, count = 8): string {
  return [...bytes.subarray(0, count)].map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
}

function unsupportedFormat(bytes: Uint8Array): string | null {
  if (startsWith(bytes, ascii("II*\0")) || startsWith(bytes, ascii("MM\0*"))) return "TIFF";
  if (startsWith(bytes, ascii("BM"))) return "BMP";
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00])) return "ICO";
  if (startsWith(bytes, ascii("%PDF"))) return "PDF";
  if (
    startsWith(bytes, [0xff, 0x0a]) ||
    startsWith(bytes, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20])
  ) {
    return "JPEG XL";
  }
  if (startsWith(bytes.subarray(4), ascii("ftyp"))) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (brand === "avif" || brand === "avis") return "AVIF";
    if (["heic", "heix", "hevc", "mif1", "msf1"].includes(brand)) return "HEIF";
  }
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart().toLowerCase();
  if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.includes("<svg"))) return "SVG";
  return null;
}

function accepted(format: DatasetImageFormat): ImageSignature {
  return { kind: "accepted", format };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

/** The encodings the task API accepts; anything else is refused before a decoder sees it. */
export type ImageFormat = "jpeg" | "png" | "webp" | "gif";

export const acceptedFormats = "JPEG, PNG, WebP or GIF";

/**
 * Recognises an encoding by its signature. Sniffing first keeps bytes that are not one of the four
 * accepted formats (SVG, PDF, TIFF, …, which sharp would happily parse) away from libvips.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "gif";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes.subarray(8), ascii("WEBP"))) return "webp";
  return null;
}

/** The first bytes in hex, for messages about data that is not an image. */
export function describeLeadingBytes(bytes: Uint8Array, count = 8): string {
  const shown = [...bytes.subarray(0, count)].map((byte) => byte.toString(16).padStart(2, "0"));
  return shown.join(" ");
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

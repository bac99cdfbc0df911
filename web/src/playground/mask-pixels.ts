const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** The bit depth in a PNG's header (IHDR, always the first chunk); null for bytes that are no PNG. */
export function pngBitDepth(bytes: Uint8Array): number | null {
  if (bytes.length < 25 || PNG_SIGNATURE.some((value, index) => bytes[index] !== value)) return null;
  const chunkType = String.fromCharCode(...bytes.subarray(12, 16));
  return chunkType === "IHDR" ? bytes[24]! : null;
}

/**
 * The class-index mask's pixels. Decoded without colour-space conversion: a greyscale value is a
 * class index, and any colour management would turn index 3 into some other number. Models with
 * more than 256 classes get a 16-bit mask, which canvases reduce to 8 bits: that is refused here
 * rather than drawn with the wrong classes.
 */
export async function loadMaskPixels(url: string, signal: AbortSignal): Promise<ImageData> {
  const response = await fetch(url, { signal });
  if (!response.ok) {
    throw new Error(`The mask could not be downloaded: the server answered HTTP ${response.status}`);
  }
  const blob = await response.blob();
  const bitDepth = pngBitDepth(new Uint8Array(await blob.slice(0, 25).arrayBuffer()));
  if (bitDepth === null)
    throw new Error(`The mask is not a PNG (it came as ${blob.type || "an unknown type"})`);
  if (bitDepth > 8) {
    throw new Error(
      "This model has more than 256 classes, so its mask is a 16-bit PNG that a browser canvas cannot read " +
        "exactly; the overlay is not drawn, the area table is exact.",
    );
  }
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  try {
    const canvas = document.createElement("canvas");
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) throw new Error("This browser cannot draw on a canvas, so the mask cannot be shown");
    context.drawImage(bitmap, 0, 0);
    return context.getImageData(0, 0, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

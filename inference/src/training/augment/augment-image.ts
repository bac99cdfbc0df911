import sharp from "sharp";
import { defaultImageLimits, openImage, type ImageLimits } from "../../images/decode-image";
import type { Augmentation } from "./augmentation";

/**
 * Longest side an augmented copy is made at. Bases take far smaller inputs, and augmenting a
 * 12-megapixel photo at full size would cost more than extracting its features.
 */
const workingSize = 512;

interface Rectangle {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * An augmented copy of an encoded image, as PNG: rotated (and cropped back so no empty corner
 * shows), a random crop of it resized to the image's size, mirrored, and its colours jittered.
 */
export async function augmentImage(
  bytes: Uint8Array,
  augmentation: Augmentation,
  limits: ImageLimits = defaultImageLimits,
): Promise<Buffer> {
  const opened = await openImage(bytes, limits);
  const scale = Math.min(1, workingSize / Math.max(opened.width, opened.height));
  const width = Math.max(1, Math.round(opened.width * scale));
  const height = Math.max(1, Math.round(opened.height * scale));
  const pixels = await opened.rgb({ width, height, fit: "stretch" });

  // Two pipelines: sharp applies its operations in its own fixed order, not the order called.
  const rotated = await sharp(pixels.data, { raw: { width, height, channels: 3 } })
    .rotate(augmentation.rotation, { background: { r: 0, g: 0, b: 0 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { info } = rotated;
  const crop = randomCrop(
    inscribed(info.width, info.height, width, height, augmentation.rotation),
    augmentation,
  );
  let pipeline = sharp(rotated.data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .extract(crop)
    .resize(width, height, { fit: "fill", kernel: "linear" });
  if (augmentation.flip) pipeline = pipeline.flop();
  return pipeline
    .modulate({
      brightness: augmentation.brightness,
      saturation: augmentation.saturation,
      hue: augmentation.hue,
    })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/**
 * The largest rectangle of the original's aspect ratio, centred in the rotated canvas, that lies
 * wholly inside the rotated image: s·(w·cos + h·sin) ≤ w and s·(w·sin + h·cos) ≤ h.
 */
function inscribed(
  canvasWidth: number,
  canvasHeight: number,
  width: number,
  height: number,
  degrees: number,
): Rectangle {
  const angle = (Math.abs(degrees) * Math.PI) / 180;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const scale = Math.min(1, width / (width * cos + height * sin), height / (width * sin + height * cos));
  const innerWidth = Math.max(1, Math.min(canvasWidth, Math.floor(width * scale)));
  const innerHeight = Math.max(1, Math.min(canvasHeight, Math.floor(height * scale)));
  return {
    left: Math.floor((canvasWidth - innerWidth) / 2),
    top: Math.floor((canvasHeight - innerHeight) / 2),
    width: innerWidth,
    height: innerHeight,
  };
}

/** A crop of `cropArea` of the region's area and `cropAspect` times its aspect ratio, inside it. */
function randomCrop(region: Rectangle, augmentation: Augmentation): Rectangle {
  const side = (length: number, factor: number) => Math.max(1, Math.min(length, Math.round(length * factor)));
  const width = side(region.width, Math.sqrt(augmentation.cropArea * augmentation.cropAspect));
  const height = side(region.height, Math.sqrt(augmentation.cropArea / augmentation.cropAspect));
  return {
    left: region.left + Math.floor(augmentation.cropX * (region.width - width)),
    top: region.top + Math.floor(augmentation.cropY * (region.height - height)),
    width,
    height,
  };
}

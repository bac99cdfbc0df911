/** Grey that fills a letterbox's borders: Ultralytics' value, which YOLO models were trained on. */
export const letterboxPadValue = 114;

/** Where a source image lands inside a model's input, and how to map a point back. */
export interface ImagePlacement {
  /** Model pixels per source pixel, along each axis. */
  scaleX: number;
  scaleY: number;
  /** Model pixels before the image starts (negative where a crop cut the source). */
  offsetX: number;
  offsetY: number;
}

export interface Letterbox extends ImagePlacement {
  /** The resized image's size before padding. */
  width: number;
  height: number;
  /** Padding on each side, in model pixels. */
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Ultralytics' LetterBox: scale r = min(H/h, W/w), the resized image rounded to whole pixels and
 * centred, the odd pixel of padding going to the bottom and right (the ±0.1 before rounding is
 * theirs: it breaks the .5 ties the same way).
 */
export function letterboxOf(
  source: { width: number; height: number },
  target: { width: number; height: number },
): Letterbox {
  const scale = Math.min(target.height / source.height, target.width / source.width);
  const width = Math.max(1, Math.min(target.width, Math.round(source.width * scale)));
  const height = Math.max(1, Math.min(target.height, Math.round(source.height * scale)));
  const padX = (target.width - width) / 2;
  const padY = (target.height - height) / 2;
  const left = Math.max(0, Math.round(padX - 0.1));
  const top = Math.max(0, Math.round(padY - 0.1));
  return {
    width,
    height,
    top,
    bottom: target.height - height - top,
    left,
    right: target.width - width - left,
    scaleX: scale,
    scaleY: scale,
    offsetX: left,
    offsetY: top,
  };
}

/** How a source image is placed in a model input of `target` size under each fit. */
export function placementOf(
  fit: "stretch" | "cover" | "letterbox",
  source: { width: number; height: number },
  target: { width: number; height: number } | null,
): ImagePlacement {
  if (!target) return { scaleX: 1, scaleY: 1, offsetX: 0, offsetY: 0 };
  if (fit === "letterbox") return letterboxOf(source, target);
  if (fit === "stretch") {
    return {
      scaleX: target.width / source.width,
      scaleY: target.height / source.height,
      offsetX: 0,
      offsetY: 0,
    };
  }
  // sharp's cover: scaled to cover both sides, then the centre cut out.
  const scale = Math.max(target.width / source.width, target.height / source.height);
  return {
    scaleX: scale,
    scaleY: scale,
    offsetX: -Math.floor((Math.round(source.width * scale) - target.width) / 2),
    offsetY: -Math.floor((Math.round(source.height * scale) - target.height) / 2),
  };
}

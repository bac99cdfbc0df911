import type { Rgb } from "./turbo-colour-scale";

/**
 * Distinct colours for the first classes (the order most segmentation models put their common
 * classes in), chosen to stay apart from each other over photographs; later classes get hues
 * spread by the golden angle so neighbours never look alike.
 */
const palette: Rgb[] = [
  [230, 25, 75],
  [60, 180, 75],
  [255, 225, 25],
  [0, 130, 200],
  [245, 130, 48],
  [145, 30, 180],
  [70, 240, 240],
  [240, 50, 230],
  [210, 245, 60],
  [250, 190, 212],
  [0, 128, 128],
  [220, 190, 255],
  [170, 110, 40],
  [255, 250, 200],
  [128, 0, 0],
  [170, 255, 195],
  [128, 128, 0],
  [255, 215, 180],
  [0, 0, 128],
  [128, 128, 128],
];

const GOLDEN_ANGLE = 137.508;

/** The colour class `index` (its position in the model's output) is drawn with, the same on every run. */
export function classColour(index: number): Rgb {
  const fixed = palette[index];
  if (fixed) return fixed;
  const hue = (index * GOLDEN_ANGLE) % 360;
  const lightness = index % 2 === 0 ? 0.5 : 0.38;
  return hslToRgb(hue, 0.7, lightness);
}

function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const amplitude = saturation * Math.min(lightness, 1 - lightness);
  const component = (offset: number) => {
    const k = (offset + hue / 30) % 12;
    return Math.round((lightness - amplitude * Math.max(-1, Math.min(k - 3, 9 - k, 1))) * 255);
  };
  return [component(0), component(8), component(4)];
}

/**
 * The overlay's pixels from the decoded mask (RGBA, class index in the red channel, as a
 * greyscale PNG decodes): each pixel takes its class colour, opaque, or stays transparent when
 * its class is hidden. Opacity is applied to the whole layer when it is drawn.
 */
export function colourMask(
  mask: Uint8ClampedArray,
  hidden: ReadonlySet<number>,
): Uint8ClampedArray<ArrayBuffer> {
  const overlay = new Uint8ClampedArray(mask.length);
  const cache = new Map<number, Rgb>();
  for (let offset = 0; offset + 3 < mask.length; offset += 4) {
    const index = mask[offset]!;
    if (hidden.has(index)) continue;
    let colour = cache.get(index);
    if (!colour) {
      colour = classColour(index);
      cache.set(index, colour);
    }
    overlay[offset] = colour[0];
    overlay[offset + 1] = colour[1];
    overlay[offset + 2] = colour[2];
    overlay[offset + 3] = 255;
  }
  return overlay;
}

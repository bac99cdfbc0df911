import type { RgbPixels } from "../../images/decode-image";
import type { GreyPlane } from "./grey-plane";

/** An image in CIELAB (D65): lightness 0…100 and the two opponent axes, one plane each. */
export interface LabImage {
  width: number;
  height: number;
  lightness: Float64Array;
  greenRed: Float64Array;
  blueYellow: Float64Array;
}

/** sRGB 8-bit level → linear light, the standard transfer curve in a table. */
const linearLevels = Float64Array.from({ length: 256 }, (_, level) => {
  const value = level / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
});

const epsilon = 216 / 24389;
const kappa = 24389 / 27;
const white = { x: 0.95047, y: 1, z: 1.08883 };

/** CIELAB lightness (0…100) of every pixel: the plane texture is measured on. */
export function lightnessPlane(pixels: RgbPixels): GreyPlane {
  const count = pixels.width * pixels.height;
  const values = new Float64Array(count);
  const { data } = pixels;
  for (let pixel = 0; pixel < count; pixel++) {
    const luminance =
      0.2126729 * linearLevels[data[pixel * 3]!]! +
      0.7151522 * linearLevels[data[pixel * 3 + 1]!]! +
      0.072175 * linearLevels[data[pixel * 3 + 2]!]!;
    values[pixel] = 116 * labCurve(luminance) - 16;
  }
  return { width: pixels.width, height: pixels.height, values };
}

/**
 * The image at half size in CIELAB, each 2×2 block averaged in linear light first (how the eye
 * mixes small details). Lab distances follow perceived colour differences far better than RGB,
 * so colour statistics in it group "the same colour" the way a person would; half the size
 * changes none of those statistics noticeably and costs a quarter of the work.
 */
export function halfSizeLab(pixels: RgbPixels): LabImage {
  const width = Math.floor(pixels.width / 2);
  const height = Math.floor(pixels.height / 2);
  const lightness = new Float64Array(width * height);
  const greenRed = new Float64Array(width * height);
  const blueYellow = new Float64Array(width * height);
  const { data } = pixels;
  const linear = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const topLeft = (2 * y * pixels.width + 2 * x) * 3;
      const bottomLeft = topLeft + pixels.width * 3;
      for (let channel = 0; channel < 3; channel++) {
        linear[channel] =
          (linearLevels[data[topLeft + channel]!]! +
            linearLevels[data[topLeft + 3 + channel]!]! +
            linearLevels[data[bottomLeft + channel]!]! +
            linearLevels[data[bottomLeft + 3 + channel]!]!) /
          4;
      }
      const [red, green, blue] = linear as [number, number, number];
      const fx = labCurve((0.4124564 * red + 0.3575761 * green + 0.1804375 * blue) / white.x);
      const fy = labCurve((0.2126729 * red + 0.7151522 * green + 0.072175 * blue) / white.y);
      const fz = labCurve((0.0193339 * red + 0.119192 * green + 0.9503041 * blue) / white.z);
      const pixel = y * width + x;
      lightness[pixel] = 116 * fy - 16;
      greenRed[pixel] = 500 * (fx - fy);
      blueYellow[pixel] = 200 * (fy - fz);
    }
  }
  return { width, height, lightness, greenRed, blueYellow };
}

function labCurve(ratio: number): number {
  return ratio > epsilon ? Math.cbrt(ratio) : (kappa * ratio + 16) / 116;
}

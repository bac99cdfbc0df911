import type { RgbPixels } from "../../images/decode-image";
import type { GreyPlane } from "./grey-plane";

/**
 * An image as the planes its shape is measured on: one plane when every pixel is grey (R = G = B,
 * whether the file stored one channel or three), else red, green and blue. A grey image then
 * costs a third and, as the planes are equal, gives exactly what its three-channel copy gives.
 */
export interface ColourPlanes {
  grey: boolean;
  planes: GreyPlane[];
}

export function colourPlanes(pixels: RgbPixels): ColourPlanes {
  const { width, height, data } = pixels;
  const count = width * height;
  const grey = isGrey(data, count);
  const channels = grey ? 1 : 3;
  const planes = Array.from({ length: channels }, (_, channel) => {
    const values = new Float64Array(count);
    for (let pixel = 0; pixel < count; pixel++) values[pixel] = data[pixel * 3 + channel]!;
    return { width, height, values };
  });
  return { grey, planes };
}

function isGrey(data: Uint8Array, count: number): boolean {
  for (let pixel = 0; pixel < count; pixel++) {
    const red = data[pixel * 3]!;
    if (data[pixel * 3 + 1] !== red || data[pixel * 3 + 2] !== red) return false;
  }
  return true;
}

/** Luma (Rec. 601 weights) of every pixel, 0…255: a grey image's own values. */
export function lumaPlane(pixels: RgbPixels): GreyPlane {
  const { width, height, data } = pixels;
  const values = new Float64Array(width * height);
  for (let pixel = 0; pixel < values.length; pixel++) {
    const red = data[pixel * 3]!;
    const green = data[pixel * 3 + 1]!;
    const blue = data[pixel * 3 + 2]!;
    values[pixel] = red === green && green === blue ? red : 0.299 * red + 0.587 * green + 0.114 * blue;
  }
  return { width, height, values };
}

import { rgbPng } from "../../images/encode-png";

/** Linear 0…1 RGB floats as 8-bit bytes (the scale the photos were read at), clamped. */
export function rgbBytes(rgb: Float32Array): Uint8Array {
  const bytes = new Uint8Array(rgb.length);
  for (let index = 0; index < rgb.length; index++) {
    bytes[index] = Math.round(Math.min(1, Math.max(0, rgb[index]!)) * 255);
  }
  return bytes;
}

/** RGB bytes as 0…1 floats, the form the image metrics compare. */
export function rgbFloats(bytes: Uint8Array): Float32Array {
  const floats = new Float32Array(bytes.length);
  for (let index = 0; index < bytes.length; index++) floats[index] = bytes[index]! / 255;
  return floats;
}

/** A render (linear 0…1 RGB floats) as a PNG. */
export async function renderPng(render: {
  width: number;
  height: number;
  rgb: Float32Array;
}): Promise<Uint8Array> {
  return rgbPng(rgbBytes(render.rgb), render);
}

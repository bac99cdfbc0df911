import { createHash } from "node:crypto";
import { seededRandom } from "@tessera/seeded-random";

/**
 * Changes the augmentation's output for the same (seed, image, variant): part of every cached
 * augmented feature's key, so bumping it retires those features.
 */
export const augmentationVersion = "a1";

/** One augmented copy's random choices. */
export interface Augmentation {
  /** Mirror left to right. */
  flip: boolean;
  /** Degrees, −15…15; the rotated image is cropped back to a rectangle with no empty corners. */
  rotation: number;
  /** Share of the (rotated) image's area the crop keeps, 0.7…1. */
  cropArea: number;
  /** Crop aspect ratio relative to the image's, 3/4…4/3 (log-uniform). */
  cropAspect: number;
  /** Where the crop sits within the room left around it, 0…1 across and down. */
  cropX: number;
  cropY: number;
  /** Multipliers, 0.8…1.2. */
  brightness: number;
  saturation: number;
  /** Whole degrees of hue rotation, −10…10 (sharp's modulate takes integers). */
  hue: number;
}

export const augmentationRanges = {
  rotation: 15,
  cropArea: [0.7, 1],
  cropAspect: [3 / 4, 4 / 3],
  brightness: [0.8, 1.2],
  saturation: [0.8, 1.2],
  hue: 10,
} as const;

/**
 * The choices for copy `variant` (1, 2, …) of the image `sha256` under `seed`: a pure function
 * of the three, so the same copy is the same image in every run, trial and process.
 */
export function drawAugmentation(seed: number, sha256: string, variant: number): Augmentation {
  const digest = createHash("sha256").update(`${seed}:${sha256}:${variant}`).digest();
  const next = seededRandom(digest.readUInt32LE(0));
  const between = ([low, high]: readonly [number, number]) => low + (high - low) * next();
  const [aspectLow, aspectHigh] = augmentationRanges.cropAspect;
  return {
    flip: next() < 0.5,
    rotation: (next() * 2 - 1) * augmentationRanges.rotation,
    cropArea: between(augmentationRanges.cropArea),
    cropAspect: Math.exp(between([Math.log(aspectLow), Math.log(aspectHigh)])),
    cropX: next(),
    cropY: next(),
    brightness: between(augmentationRanges.brightness),
    saturation: between(augmentationRanges.saturation),
    hue: Math.round((next() * 2 - 1) * augmentationRanges.hue),
  };
}

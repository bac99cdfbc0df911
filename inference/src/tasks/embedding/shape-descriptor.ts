import type { RgbPixels } from "../../images/decode-image";
import { colourPlanes, lumaPlane } from "./colour-planes";
import { halfSize, type GreyPlane } from "./grey-plane";
import { descriptorImageSize } from "./image-descriptor";
import { hueHistogram, lumaLayout } from "./layout-descriptor";
import {
  coarserPooling,
  normalisedCells,
  orientationSpectrum,
  pooledOrientations,
  unsignedOrientations,
  type PooledOrientations,
} from "./oriented-gradients";
import { orthogonalProjection } from "./orthogonal-projection";
import { boundedScalars, l2Normalised } from "./vector-norms";

/** Version 2 describes images at version 1's size (stretched), so both share one decode. */
export const shapeDescriptorImageSize = descriptorImageSize;

/** Scales the gradients are measured at: 128², 64² and 32² (each half the one before). */
const scaleCount = 3;
/** The finest pooling grid; each scale is also pooled 2×2 and as a whole (a spatial pyramid). */
const finestGrid = 4;
/** Gradient magnitude per pixel (0…255 levels, central differences) below which a cell reads as flat. */
const flatFloor = 1;
const harmonics = 4;

/**
 * How much each block counts; every block has length ≤ 1 before weighting. Shape (oriented
 * gradients pooled over a spatial pyramid at three scales, and their rotation-free spectrum) carries
 * most of the weight; layout, scale and colour follow. Changing a weight, a block or the seed
 * changes every vector: that is a new version of the built-in model.
 */
const weights = {
  orientationsPerScale: 1,
  orientationSpectrum: 2,
  lumaLayout: 1,
  gradientScales: 0.5,
  hues: 0.5,
  tone: 0.3,
} as const;

export const shapeProjectionSeed = 0x5a9e0d02;

/**
 * The raw version-2 descriptor of a `shapeDescriptorImageSize`² image: multi-scale histograms of
 * oriented gradients pooled 1×1, 2×2 and 4×4, their rotation-invariant spectrum per scale, the
 * share of gradient energy per scale, an 8×8 luma layout, a hue histogram (zero for grey images)
 * and the overall brightness and contrast.
 */
export function describeShape(pixels: RgbPixels): Float64Array {
  if (pixels.width !== shapeDescriptorImageSize || pixels.height !== shapeDescriptorImageSize) {
    throw new RangeError(
      `The descriptor takes ${shapeDescriptorImageSize}×${shapeDescriptorImageSize} pixels; got ${pixels.width}×${pixels.height}`,
    );
  }
  let { planes } = colourPlanes(pixels);
  const blocks: Array<readonly [Float64Array, number]> = [];
  const spectra: number[] = [];
  const magnitudes: number[] = [];
  for (let scale = 0; scale < scaleCount; scale++) {
    if (scale > 0) planes = planes.map(halfSize);
    const signed = pooledOrientations(planes, finestGrid);
    const finest = unsignedOrientations(signed);
    // Which way an edge turns (dark to light) tells strokes apart in the finest layout only;
    // elsewhere it would be noise, as two colours can be drawn either way round.
    const pyramid = [
      scale === 0 ? signed : finest,
      coarserPooling(finest, 2),
      coarserPooling(finest, finestGrid),
    ];
    const cells = concatenate(pyramid.map((level) => [normalisedCells(level, flatFloor), 1 / Math.sqrt(3)]));
    blocks.push([cells, weights.orientationsPerScale]);
    spectra.push(...spectrumWithFloor(pyramid[2]!), ...localSpectrum(finest));
    magnitudes.push(finest.totalMagnitude / finest.pixelCount);
  }
  const luma = lumaPlane(pixels);
  blocks.push(
    [Float64Array.from(spectra, (value) => value / Math.sqrt(spectra.length)), weights.orientationSpectrum],
    [energyShares(magnitudes), weights.gradientScales],
    [lumaLayout(luma, 8), weights.lumaLayout],
    [hueHistogram(pixels), weights.hues],
    [tone(luma), weights.tone],
  );
  return concatenate(blocks);
}

/** The built-in version-2 embedding of one image: descriptor → fixed orthogonal projection → unit length. */
export function embedShapePixels(pixels: RgbPixels, dimension: number): Float32Array {
  const descriptor = describeShape(pixels);
  const projection = orthogonalProjection(descriptor.length, dimension, shapeProjectionSeed);
  return l2Normalised(projection.project(descriptor));
}

/** The spectrum shrunk towards zero where the image is nearly flat (noise has no direction worth reading). */
function spectrumWithFloor(whole: PooledOrientations): Float64Array {
  const spectrum = orientationSpectrum(whole.cells, harmonics);
  const confidence = whole.totalMagnitude / (whole.totalMagnitude + flatFloor * whole.pixelCount);
  return spectrum.map((value) => value * confidence);
}

/**
 * The orientation spectrum of each finest cell, weighted by the cell's share of the gradient and
 * summed: rotation-invariant too, but local, so a checkerboard's crossings (two directions in one
 * cell) and stripes (one) differ even where the whole image mixes several patches.
 */
function localSpectrum(finest: PooledOrientations): Float64Array {
  const bins = finest.binCount;
  const result = new Float64Array(harmonics);
  const total = finest.totalMagnitude + flatFloor * finest.pixelCount;
  for (let start = 0; start < finest.cells.length; start += bins) {
    const cell = finest.cells.subarray(start, start + bins);
    const share = cell.reduce((sum, value) => sum + value, 0) / total;
    orientationSpectrum(cell, harmonics).forEach((value, index) => (result[index]! += value * share));
  }
  return result;
}

/** Each scale's share of the gradient energy, square-rooted: fine texture vs coarse shapes. */
function energyShares(magnitudes: readonly number[]): Float64Array {
  const total = magnitudes.reduce((sum, value) => sum + value, 0);
  if (total <= 0) return new Float64Array(magnitudes.length);
  return Float64Array.from(magnitudes, (value) => Math.sqrt(value / total));
}

/** Mean and spread of luma, bounded: how bright and how contrasted, for what shape leaves open. */
function tone(luma: GreyPlane): Float64Array {
  const { values } = luma;
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  return boundedScalars([mean / 255 - 0.5, Math.sqrt(squares / values.length) / 128], 0.5);
}

function concatenate(blocks: ReadonlyArray<readonly [Float64Array, number]>): Float64Array {
  const result = new Float64Array(blocks.reduce((length, [block]) => length + block.length, 0));
  let offset = 0;
  for (const [block, weight] of blocks) {
    for (let index = 0; index < block.length; index++) result[offset + index] = block[index]! * weight;
    offset += block.length;
  }
  return result;
}

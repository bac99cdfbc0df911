import type { RgbPixels } from "../../images/decode-image";
import { colourBlocks } from "./colour-descriptor";
import { gaborEnergies } from "./gabor-energies";
import { halfSize } from "./grey-plane";
import { halfSizeLab, lightnessPlane } from "./lab-image";
import { orthogonalProjection } from "./orthogonal-projection";
import { gradientBlocks, localBinaryPatterns } from "./texture-descriptor";
import { boundedScalars, l2Normalised } from "./vector-norms";

/** Every image is described at this size (stretched): texture scales are then comparable. */
export const descriptorImageSize = 128;

/**
 * How much each block counts. Every block has length ≤ 1 before weighting, so the weights set
 * the balance: colour (histogram, moments, layout) and texture (patterns, gradients, frequency
 * bands) carry about the same total, so neither "same colour" nor "same texture" alone decides
 * the nearest neighbour. Changing a weight, a block or the seed changes every vector: that is a
 * new version of the built-in model.
 */
const weights = {
  colourHistogram: 1,
  colourMoments: 0.6,
  colourLayout: 0.4,
  patternsFine: 0.6,
  patternsCoarse: 0.6,
  gradientCells: 0.5,
  gradientOverall: 0.6,
  frequencyBands: 0.8,
  contrast: 0.5,
  regularity: 0.8,
} as const;

export const projectionSeed = 0x7e55e4a1;

/**
 * The raw descriptor of a `descriptorImageSize`² image: colour statistics in CIELAB and texture
 * statistics of its lightness at two scales, each block weighted and concatenated.
 */
export function describeImage(pixels: RgbPixels): Float64Array {
  if (pixels.width !== descriptorImageSize || pixels.height !== descriptorImageSize) {
    throw new RangeError(
      `The descriptor takes ${descriptorImageSize}×${descriptorImageSize} pixels; got ${pixels.width}×${pixels.height}`,
    );
  }
  const colour = colourBlocks(halfSizeLab(pixels));
  const fine = lightnessPlane(pixels);
  const coarse = halfSize(fine);
  const gradients = gradientBlocks(fine);
  const bands = gaborEnergies(coarse);
  const contrast = boundedScalars(
    [gradients.meanMagnitude, gradients.magnitudeSpread, bands.logContrast * 10],
    50,
  );
  const regularity = boundedScalars(bands.regularity, 1);
  return concatenate([
    [colour.histogram, weights.colourHistogram],
    [colour.moments, weights.colourMoments],
    [colour.layout, weights.colourLayout],
    [localBinaryPatterns(fine), weights.patternsFine],
    [localBinaryPatterns(coarse), weights.patternsCoarse],
    [gradients.cells, weights.gradientCells],
    [gradients.overall, weights.gradientOverall],
    [bands.energies, weights.frequencyBands],
    [contrast, weights.contrast],
    [regularity, weights.regularity],
  ]);
}

/** The built-in embedding of one image: descriptor → fixed orthogonal projection → unit length. */
export function embedPixels(pixels: RgbPixels, dimension: number): Float32Array {
  const descriptor = describeImage(pixels);
  const projection = orthogonalProjection(descriptor.length, dimension, projectionSeed);
  return l2Normalised(projection.project(descriptor));
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

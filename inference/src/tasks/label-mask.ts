import { failedPrecondition } from "../runtime/errors";
import type { ImageOutput, NumberArray } from "./run-images";

/** A class index per pixel, row-major. */
export interface LabelMask {
  width: number;
  height: number;
  classCount: number;
  indices: Uint16Array;
}

/**
 * Reads a segmentation output for one image: scores [C, H, W] (argmax over C, the first class
 * winning ties) or class indices [H, W] / [1, H, W] from a model that takes the argmax itself.
 * `labelCount` sizes the class list of index outputs; a larger index found there widens it.
 */
export function labelMaskOf(output: ImageOutput, labelCount: number): LabelMask {
  const { shape, values } = output;
  const isIndexOutput = output.dataType !== "FLOAT32" && output.dataType !== "FLOAT64";
  if (isIndexOutput && (shape.length === 2 || (shape.length === 3 && shape[0] === 1))) {
    return indexMask(values, shape[shape.length - 1]!, shape[shape.length - 2]!, labelCount);
  }
  if (!isIndexOutput && shape.length === 3 && shape[0]! > 0) {
    return argmaxMask(values, shape[0]!, shape[1]!, shape[2]!);
  }
  throw failedPrecondition(
    `A segmentation model must answer each image with float scores [classes, height, width] or integer class indices [height, width]; it answered ${output.dataType} [${shape.join(", ")}]`,
  );
}

function argmaxMask(scores: NumberArray, classCount: number, height: number, width: number): LabelMask {
  const planeSize = width * height;
  const indices = new Uint16Array(planeSize);
  const best = scores.slice(0, planeSize);
  for (let classIndex = 1; classIndex < classCount; classIndex++) {
    const plane = classIndex * planeSize;
    for (let pixel = 0; pixel < planeSize; pixel++) {
      const score = scores[plane + pixel]!;
      if (score > best[pixel]!) {
        best[pixel] = score;
        indices[pixel] = classIndex;
      }
    }
  }
  return { width, height, classCount, indices };
}

function indexMask(values: NumberArray, width: number, height: number, labelCount: number): LabelMask {
  const indices = new Uint16Array(width * height);
  let classCount = labelCount;
  for (let pixel = 0; pixel < indices.length; pixel++) {
    const index = values[pixel]!;
    if (!Number.isInteger(index) || index < 0 || index > 65535) {
      throw failedPrecondition(`The segmentation model answered class index ${index}; expected 0…65535`);
    }
    indices[pixel] = index;
    classCount = Math.max(classCount, index + 1);
  }
  return { width, height, classCount, indices };
}

/**
 * Nearest-neighbour resize: output pixel (x, y) takes the source pixel whose area contains its
 * centre, floor((x + 0.5) · sourceWidth / width), so no class is invented at region borders.
 */
export function resizeMask(mask: LabelMask, width: number, height: number): LabelMask {
  if (mask.width === width && mask.height === height) return mask;
  const sourceColumns = Array.from({ length: width }, (_, x) =>
    Math.min(mask.width - 1, Math.floor(((x + 0.5) * mask.width) / width)),
  );
  const indices = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    const sourceRow = Math.min(mask.height - 1, Math.floor(((y + 0.5) * mask.height) / height)) * mask.width;
    const row = y * width;
    for (let x = 0; x < width; x++) indices[row + x] = mask.indices[sourceRow + sourceColumns[x]!]!;
  }
  return { width, height, classCount: mask.classCount, indices };
}

/** Pixels per class index, for every class of the mask. */
export function pixelCounts(mask: LabelMask): number[] {
  const counts = new Array<number>(mask.classCount).fill(0);
  for (const index of mask.indices) counts[index] = (counts[index] ?? 0) + 1;
  return counts;
}

/** The mask as PNG samples: 8-bit when every class index fits, else 16-bit. */
export function maskSamples(mask: LabelMask): Uint8Array | Uint16Array {
  return mask.classCount <= 256 ? Uint8Array.from(mask.indices) : mask.indices;
}

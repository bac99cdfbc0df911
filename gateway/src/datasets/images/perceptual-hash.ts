/**
 * DCT perceptual hash (pHash) over a square greyscale image: average down to 32×32, take the
 * 2-D DCT-II, keep the 8×8 lowest frequencies and set a bit where a coefficient is above their
 * median. Chosen over dHash because it survives re-encoding and resizing better while still
 * separating different textures; it sees luminance only, so two images that differ only in hue
 * hash alike (colour is for embeddings to tell apart).
 */
export const reducedSide = 32;
const keptSide = 8;

/** The cosine basis for the kept frequencies: basis[u][x] = cos((2x+1)uπ / 64). */
const basis: Float64Array[] = Array.from({ length: keptSide }, (_, u) =>
  Float64Array.from({ length: reducedSide }, (_, x) =>
    Math.cos(((2 * x + 1) * u * Math.PI) / (2 * reducedSide)),
  ),
);

/** 64 bits as 16 lowercase hex digits, row-major from the DC term. */
export function perceptualHash(grey: Uint8Array, side: number): string {
  return perceptualHashOfBlocks(averageDown(grey, side));
}

/**
 * The same hash from the 32×32 block sums (row-major) of the square image, for callers that sum
 * the blocks in a pass of their own; sums, not means: the bits do not depend on the scale.
 */
export function perceptualHashOfBlocks(reduced: Float64Array): string {
  if (reduced.length !== reducedSide * reducedSide) {
    throw new RangeError(`perceptualHashOfBlocks: expected ${reducedSide}×${reducedSide} block sums`);
  }
  const coefficients = lowFrequencies(reduced);
  const median = medianOf(coefficients);
  let hex = "";
  for (let nibble = 0; nibble < 16; nibble += 1) {
    let value = 0;
    for (let bit = 0; bit < 4; bit += 1) {
      value = (value << 1) | ((coefficients[nibble * 4 + bit] as number) > median ? 1 : 0);
    }
    hex += value.toString(16);
  }
  return hex;
}

/** How many of the 64 bits differ between two perceptual hashes: 0 for the same picture. */
export function hammingDistance(a: string, b: string): number {
  checkHash(a, "a");
  checkHash(b, "b");
  let distance = 0;
  for (let index = 0; index < 16; index += 4) {
    let differing = parseInt(a.slice(index, index + 4), 16) ^ parseInt(b.slice(index, index + 4), 16);
    while (differing) {
      distance += differing & 1;
      differing >>>= 1;
    }
  }
  return distance;
}

function checkHash(hash: string, name: string): void {
  if (!/^[0-9a-f]{16}$/i.test(hash)) {
    throw new RangeError(
      `hammingDistance: ${name} must be 16 hex digits (a 64-bit hash), got ${JSON.stringify(hash)}`,
    );
  }
}

/** Box average of a side×side image into 32×32 (side must be a multiple of 32). */
function averageDown(grey: Uint8Array, side: number): Float64Array {
  const block = side / reducedSide;
  if (!Number.isInteger(block) || grey.length !== side * side) {
    throw new RangeError(
      `perceptualHash: expected a square image whose side is a multiple of ${reducedSide}`,
    );
  }
  const reduced = new Float64Array(reducedSide * reducedSide);
  for (let y = 0; y < side; y += 1) {
    const rowOffset = Math.floor(y / block) * reducedSide;
    const row = y * side;
    for (let cell = 0; cell < reducedSide; cell += 1) {
      let sum = 0;
      for (let x = cell * block, end = x + block; x < end; x += 1) sum += grey[row + x] as number;
      reduced[rowOffset + cell]! += sum;
    }
  }
  return reduced;
}

/** The 8×8 lowest DCT-II coefficients, row-major (v vertical, u horizontal); scale is irrelevant. */
function lowFrequencies(reduced: Float64Array): Float64Array {
  const rows = new Float64Array(reducedSide * keptSide);
  for (let y = 0; y < reducedSide; y += 1) {
    for (let u = 0; u < keptSide; u += 1) {
      const cosines = basis[u] as Float64Array;
      let sum = 0;
      for (let x = 0; x < reducedSide; x += 1)
        sum += (reduced[y * reducedSide + x] as number) * (cosines[x] as number);
      rows[y * keptSide + u] = sum;
    }
  }
  const coefficients = new Float64Array(keptSide * keptSide);
  for (let v = 0; v < keptSide; v += 1) {
    const cosines = basis[v] as Float64Array;
    for (let u = 0; u < keptSide; u += 1) {
      let sum = 0;
      for (let y = 0; y < reducedSide; y += 1)
        sum += (rows[y * keptSide + u] as number) * (cosines[y] as number);
      coefficients[v * keptSide + u] = sum;
    }
  }
  return coefficients;
}

function medianOf(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length / 2;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

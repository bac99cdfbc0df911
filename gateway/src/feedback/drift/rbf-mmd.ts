import { seededRandom } from "@tessera/seeded-random";
import { median, shuffledIndices, stackRows, type SampleMatrix } from "./sample-matrix";

/**
 * Permutations of the MMD test unless told otherwise: the smallest p-value it can report is
 * 1 / (B + 1) = 0.002, below every threshold a policy may set (pValue ≥ 0.005 would need 199),
 * and on 2 × 200 FEATURE vectors the permutations take well under a second.
 */
export const DEFAULT_MMD_PERMUTATIONS = 499;

export interface MmdTestOptions {
  /** B, the random relabellings the p-value counts; at least 1. */
  permutations: number;
  seed: number;
  /** The kernel's σ; the median heuristic on the pooled sample when left out. */
  bandwidth?: number;
}

export interface MmdTestResult {
  /** The unbiased estimate of MMD² between the two samples (may dip below 0 when they match). */
  statistic: number;
  /** (1 + relabellings at least as extreme) / (1 + B): never 0, exact under exchangeability. */
  pValue: number;
  bandwidth: number;
  permutations: number;
}

/** ‖a − b‖² for every pair of rows, as a rows × rows matrix (symmetric, zero diagonal). */
export function pairwiseSquaredDistances(samples: SampleMatrix): Float64Array {
  const { rows, columns, data } = samples;
  const distances = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) {
      let sum = 0;
      for (let c = 0; c < columns; c++) {
        const difference = data[i * columns + c]! - data[j * columns + c]!;
        sum += difference * difference;
      }
      distances[i * rows + j] = sum;
      distances[j * rows + i] = sum;
    }
  }
  return distances;
}

/**
 * σ = the median Euclidean distance between distinct points of the pooled sample (Gretton et al.'s
 * heuristic). When more than half the pairs coincide the median is 0; the mean of the non-zero
 * distances stands in, and 1 when every point is the same (every kernel value is then 1 anyway).
 */
export function medianHeuristicBandwidth(squaredDistances: Float64Array, rows: number): number {
  const pairs = new Float64Array((rows * (rows - 1)) / 2);
  let next = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) pairs[next++] = Math.sqrt(squaredDistances[i * rows + j]!);
  }
  const middle = median(pairs);
  if (middle > 0) return middle;
  const nonZero = pairs.filter((distance) => distance > 0);
  return nonZero.length > 0 ? nonZero.reduce((sum, d) => sum + d, 0) / nonZero.length : 1;
}

/** k(a, b) = exp(−‖a − b‖² / (2σ²)) for every pair, from their squared distances. */
export function rbfKernel(squaredDistances: Float64Array, bandwidth: number): Float64Array {
  const scale = -1 / (2 * bandwidth * bandwidth);
  return squaredDistances.map((distance) => Math.exp(distance * scale));
}

/**
 * The unbiased MMD²: the mean kernel value within the first group and within the second (each
 * pair of distinct points), less twice the mean across groups. `inFirst[i]` is 1 for the pooled
 * rows of the first group. Each group needs at least two rows.
 */
export function unbiasedMmd2(kernel: Float64Array, rows: number, inFirst: Uint8Array): number {
  let within1 = 0;
  let within2 = 0;
  let across = 0;
  let size1 = 0;
  for (let i = 0; i < rows; i++) {
    size1 += inFirst[i]!;
    for (let j = i + 1; j < rows; j++) {
      const value = kernel[i * rows + j]!;
      if (inFirst[i] !== inFirst[j]) across += value;
      else if (inFirst[i]) within1 += value;
      else within2 += value;
    }
  }
  const size2 = rows - size1;
  if (size1 < 2 || size2 < 2)
    throw new RangeError("each group needs at least 2 samples for the unbiased MMD²");
  return (
    (2 * within1) / (size1 * (size1 - 1)) +
    (2 * within2) / (size2 * (size2 - 1)) -
    (2 * across) / (size1 * size2)
  );
}

/**
 * The two-sample MMD test with an RBF kernel: the statistic on the samples as given, and its
 * permutation p-value, the share of B seeded relabellings of the pooled sample (group sizes kept)
 * whose statistic is at least as large. The kernel matrix is computed once; a relabelling only
 * re-sums it (see relabelledMmd2).
 */
export function mmdTest(first: SampleMatrix, second: SampleMatrix, options: MmdTestOptions): MmdTestResult {
  if (!Number.isInteger(options.permutations) || options.permutations < 1) {
    throw new RangeError(`permutations must be a whole number of at least 1, got ${options.permutations}`);
  }
  const pooled = stackRows(first, second);
  const rows = pooled.rows;
  const distances = pairwiseSquaredDistances(pooled);
  const bandwidth = options.bandwidth ?? medianHeuristicBandwidth(distances, rows);
  const kernel = rbfKernel(distances, bandwidth);
  const labels = new Uint8Array(rows);
  labels.fill(1, 0, first.rows);
  const statistic = unbiasedMmd2(kernel, rows, labels);
  const sums = kernelSums(kernel, rows);
  const random = seededRandom(options.seed);
  let asExtreme = 0;
  for (let round = 0; round < options.permutations; round++) {
    const members = shuffledIndices(rows, random).subarray(0, first.rows);
    if (relabelledMmd2(kernel, rows, members, sums) >= statistic - 1e-12) asExtreme += 1;
  }
  return {
    statistic,
    pValue: (1 + asExtreme) / (1 + options.permutations),
    bandwidth,
    permutations: options.permutations,
  };
}

interface KernelSums {
  /** Σ over pairs i < j of k(i, j). */
  total: number;
  /** Σ over j ≠ i of k(i, j), per row. */
  rowSums: Float64Array;
}

function kernelSums(kernel: Float64Array, rows: number): KernelSums {
  const rowSums = new Float64Array(rows);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) {
      const value = kernel[i * rows + j]!;
      rowSums[i]! += value;
      rowSums[j]! += value;
      total += value;
    }
  }
  return { total, rowSums };
}

/**
 * unbiasedMmd2 for the first group `members`, from sums that do not change between relabellings:
 * the row sums of the first group count its inner pairs twice and its cross pairs once, and the
 * second group's inner pairs are what the total leaves. Only the first group's pairs are walked,
 * a quarter of the pooled pairs for equal groups.
 */
function relabelledMmd2(kernel: Float64Array, rows: number, members: Int32Array, sums: KernelSums): number {
  const size1 = members.length;
  const size2 = rows - size1;
  let within1 = 0;
  let rowSum1 = 0;
  for (let a = 0; a < size1; a++) {
    const i = members[a]!;
    rowSum1 += sums.rowSums[i]!;
    for (let b = a + 1; b < size1; b++) within1 += kernel[i * rows + members[b]!]!;
  }
  const across = rowSum1 - 2 * within1;
  const within2 = sums.total - within1 - across;
  return (
    (2 * within1) / (size1 * (size1 - 1)) +
    (2 * within2) / (size2 * (size2 - 1)) -
    (2 * across) / (size1 * size2)
  );
}

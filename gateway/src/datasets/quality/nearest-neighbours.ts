import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { QualityEmbeddings } from "./quality-input";

/** Rows of the distance matrix computed between yields, so requests keep being served meanwhile. */
const rowsPerSlice = 64;

/**
 * The version's unit vectors and, per sample, its exact k nearest neighbours by cosine distance among one version's vectors, in process. Exact and
 * within the version because only its samples carry a label here; the space's HNSW index spans
 * every dataset, and walking it once per sample took over a minute for 5,000 images on PGlite,
 * while this takes a few seconds: n²/2 dot products on unit vectors in one Float32Array.
 */
export async function nearestNeighbours(
  vectors: ReadonlyArray<{ sampleId: string; vector: readonly number[] }>,
  k: number,
): Promise<QualityEmbeddings> {
  const count = vectors.length;
  const dimension = vectors[0]?.vector.length ?? 0;
  const unit = new Float32Array(count * dimension);
  for (const [row, { vector }] of vectors.entries()) {
    const norm = Math.hypot(...vector) || 1;
    for (let d = 0; d < dimension; d += 1) unit[row * dimension + d] = vector[d]! / norm;
  }
  const byId = new Map(
    vectors.map(({ sampleId }, row) => [sampleId, unit.subarray(row * dimension, (row + 1) * dimension)]),
  );
  // Per row, the k best so far as parallel arrays sorted by distance (then index, for ties).
  const bestIndex = Array.from({ length: count }, () => new Int32Array(k).fill(-1));
  const bestDistance = Array.from({ length: count }, () => new Float64Array(k).fill(Infinity));
  const offer = (row: number, other: number, distance: number) => {
    const indices = bestIndex[row]!;
    const distances = bestDistance[row]!;
    if (distance >= distances[k - 1]!) return;
    let at = k - 1;
    while (at > 0 && distances[at - 1]! > distance) {
      distances[at] = distances[at - 1]!;
      indices[at] = indices[at - 1]!;
      at -= 1;
    }
    distances[at] = distance;
    indices[at] = other;
  };
  for (let i = 0; i < count; i += 1) {
    if (i % rowsPerSlice === rowsPerSlice - 1) await yieldToEventLoop();
    const a = i * dimension;
    for (let j = i + 1; j < count; j += 1) {
      const b = j * dimension;
      // Four running sums, so the additions do not wait on each other.
      let [s0, s1, s2, s3] = [0, 0, 0, 0];
      let d = 0;
      for (; d + 3 < dimension; d += 4) {
        s0 += unit[a + d]! * unit[b + d]!;
        s1 += unit[a + d + 1]! * unit[b + d + 1]!;
        s2 += unit[a + d + 2]! * unit[b + d + 2]!;
        s3 += unit[a + d + 3]! * unit[b + d + 3]!;
      }
      for (; d < dimension; d += 1) s0 += unit[a + d]! * unit[b + d]!;
      const distance = 1 - (s0 + s1 + s2 + s3);
      offer(i, j, distance);
      offer(j, i, distance);
    }
  }
  const neighbours = vectors.map(({ sampleId }, row) => {
    const found = [...bestIndex[row]!].flatMap((index, at) => (index >= 0 ? [at] : []));
    return {
      sampleId,
      neighbourIds: found.map((at) => vectors[bestIndex[row]![at]!]!.sampleId),
      distances: found.map((at) => bestDistance[row]![at]!),
    };
  });
  return { neighbours, vectors: byId };
}

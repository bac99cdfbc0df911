import { UMAP } from "umap-js";
import { seededRandom } from "@tessera/seeded-random";

/** The UMAP settings every map uses: fixed, so one version's map is one picture. */
export interface UmapSettings {
  /** Neighbours per point (fewer when the set is smaller); umap-learn's default. */
  neighbours: number;
  /** How tightly points may pack; umap-learn's default. */
  minimumDistance: number;
  /** Optimisation epochs: umap-js takes 200 for large sets too, and its cost is linear in them. */
  epochs: number;
  seed: number;
}

export const umapSettings: UmapSettings = { neighbours: 15, minimumDistance: 0.1, epochs: 200, seed: 1 };

/**
 * umap-js (the PAIR team's port of umap-learn) on `count` rows of `dimension` values, by cosine
 * distance as similarity search measures it. Every random draw (the neighbour-descent start, the
 * layout's start, negative sampling) comes from one mulberry32 stream seeded with
 * `settings.seed`, so the same vectors always give the same coordinates.
 */
export function umapTo2d(
  vectors: Float32Array,
  count: number,
  dimension: number,
  settings: UmapSettings = umapSettings,
): { coordinates: Float64Array; neighbours: number } {
  if (vectors.length !== count * dimension) {
    throw new RangeError(
      `Expected ${count} × ${dimension} = ${count * dimension} values, got ${vectors.length}`,
    );
  }
  const coordinates = new Float64Array(count * 2);
  // UMAP needs a neighbour besides each point itself; one or two points sit at the origin.
  if (count < 3) return { coordinates, neighbours: 0 };
  const rows = Array.from({ length: count }, (_, row) =>
    Array.from(vectors.subarray(row * dimension, (row + 1) * dimension)),
  );
  const neighbours = Math.min(settings.neighbours, count - 1);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: neighbours,
    minDist: settings.minimumDistance,
    nEpochs: settings.epochs,
    random: seededRandom(settings.seed),
    distanceFn: cosineDistance,
  });
  const epochs = umap.initializeFit(rows);
  for (let epoch = 0; epoch < epochs; epoch += 1) umap.step();
  umap.getEmbedding().forEach(([x, y], row) => {
    coordinates[row * 2] = x!;
    coordinates[row * 2 + 1] = y!;
  });
  return { coordinates, neighbours };
}

/** 1 − cosine similarity; a zero vector (the store refuses those) would count as far from all. */
function cosineDistance(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index += 1) {
    dot += a[index]! * b[index]!;
    normA += a[index]! * a[index]!;
    normB += b[index]! * b[index]!;
  }
  const norms = Math.sqrt(normA * normB);
  return norms > 0 ? 1 - dot / norms : 1;
}

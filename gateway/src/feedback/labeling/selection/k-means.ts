import { seededRandom } from "@tessera/seeded-random";
import { squaredDistance, type Vectors } from "./vectors";

export interface Clustering {
  /** For each member (in the order given), its cluster 0 … k−1. */
  assignments: Uint32Array;
  /** k × dimension, row-major. */
  centres: Float64Array;
  iterations: number;
}

/** Lloyd iterations stop earlier as soon as no member changes cluster. */
export const MAX_K_MEANS_ITERATIONS = 100;

/**
 * k-means over the rows `members` of `points`: k-means++ seeding (Arthur & Vassilvitskii: each
 * next centre drawn with probability ∝ squared distance to the nearest chosen one) from a seeded
 * generator, then Lloyd iterations. Deterministic for a seed. A cluster that loses all its
 * members keeps its centre (and stays empty); callers fill up from the other candidates.
 */
export function kMeans(points: Vectors, members: readonly number[], k: number, seed: number): Clustering {
  const { dimension } = points;
  const clusters = Math.max(1, Math.min(k, members.length));
  const random = seededRandom(seed);
  const centres = new Float64Array(clusters * dimension);
  const centreVectors: Vectors = { values: centres, dimension };
  const setCentre = (cluster: number, member: number) => {
    const offset = members[member]! * dimension;
    for (let d = 0; d < dimension; d++) centres[cluster * dimension + d] = Number(points.values[offset + d]);
  };

  const nearest = new Float64Array(members.length).fill(Infinity);
  const chosen = new Uint8Array(members.length);
  let first = Math.floor(random() * members.length);
  for (let cluster = 0; cluster < clusters; cluster++) {
    if (cluster > 0) first = drawProportional(nearest, chosen, random);
    chosen[first] = 1;
    setCentre(cluster, first);
    members.forEach((point, index) => {
      nearest[index] = Math.min(nearest[index]!, squaredDistance(points, point, centreVectors, cluster));
    });
  }

  const assignments = new Uint32Array(members.length);
  let iterations = 0;
  for (let changed = true; changed && iterations < MAX_K_MEANS_ITERATIONS; iterations++) {
    changed = false;
    members.forEach((point, index) => {
      let best = 0;
      let bestDistance = Infinity;
      for (let cluster = 0; cluster < clusters; cluster++) {
        const distance = squaredDistance(points, point, centreVectors, cluster);
        if (distance < bestDistance) [best, bestDistance] = [cluster, distance];
      }
      if (iterations === 0 || assignments[index] !== best) changed = true;
      assignments[index] = best;
    });
    if (changed) moveCentres(points, members, assignments, centres, clusters);
  }
  return { assignments, centres, iterations };
}

/** An index not yet chosen, with probability ∝ weight; uniform when every weight is 0 (duplicates). */
function drawProportional(weights: Float64Array, chosen: Uint8Array, random: () => number): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) if (!chosen[i]) total += weights[i]!;
  const open = weights.length - chosen.reduce((sum, flag) => sum + flag, 0);
  let target = random() * (total > 0 ? total : open);
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    if (chosen[i]) continue;
    last = i;
    target -= total > 0 ? weights[i]! : 1;
    if (target < 0) return i;
  }
  return last;
}

function moveCentres(
  points: Vectors,
  members: readonly number[],
  assignments: Uint32Array,
  centres: Float64Array,
  clusters: number,
): void {
  const { dimension } = points;
  const sums = new Float64Array(clusters * dimension);
  const counts = new Uint32Array(clusters);
  members.forEach((point, index) => {
    const cluster = assignments[index]!;
    counts[cluster]! += 1;
    for (let d = 0; d < dimension; d++)
      sums[cluster * dimension + d]! += Number(points.values[point * dimension + d]);
  });
  for (let cluster = 0; cluster < clusters; cluster++) {
    if (counts[cluster] === 0) continue;
    for (let d = 0; d < dimension; d++) {
      centres[cluster * dimension + d] = sums[cluster * dimension + d]! / counts[cluster]!;
    }
  }
}

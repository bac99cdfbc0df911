import { byPriority, rowCount, squaredDistance, type Vectors } from "./vectors";

export interface KCenterOptions {
  /** Points already covered (the labelled set, items already in the batch): the first pick is the candidate farthest from them. */
  centres?: Vectors;
  /** Without centres the first pick is the highest-priority candidate; ties between equally far candidates go to higher priority, then the lower index. */
  priority: ArrayLike<number>;
}

/**
 * Greedy k-center (Gonzalez's 2-approximation, as in Sener & Savarese's core-set selection): each
 * step picks the candidate farthest from everything chosen or covered so far, so the picks spread
 * over the candidates instead of piling up where the model is most unsure. Returns `k` indices of
 * `points`' rows (fewer when there are fewer candidates), in pick order. Squared Euclidean
 * distances: the same order as Euclidean, and as cosine on the unit vectors the embedders give.
 */
export function greedyKCenter(
  points: Vectors,
  candidates: readonly number[],
  k: number,
  options: KCenterOptions,
): number[] {
  const count = Math.min(k, candidates.length);
  if (count <= 0) return [];
  const ranked = [...candidates].sort(byPriority(options.priority));
  const nearest = new Float64Array(ranked.length).fill(Infinity);
  const taken = new Uint8Array(ranked.length);
  const cover = (centres: Vectors, row: number) => {
    ranked.forEach((point, slot) => {
      if (taken[slot]) return;
      nearest[slot] = Math.min(nearest[slot]!, squaredDistance(points, point, centres, row));
    });
  };
  const centres = options.centres;
  const centreCount = centres ? rowCount(centres) : 0;
  for (let row = 0; row < centreCount; row++) cover(centres!, row);

  const picks: number[] = [];
  while (picks.length < count) {
    // `ranked` is in priority order, so a strict `>` keeps the higher-priority one on ties; with
    // nothing covered yet every distance is Infinity and the first pick is the top-priority one.
    let best = -1;
    for (let slot = 0; slot < ranked.length; slot++) {
      if (!taken[slot] && (best < 0 || nearest[slot]! > nearest[best]!)) best = slot;
    }
    taken[best] = 1;
    picks.push(ranked[best]!);
    cover(points, ranked[best]!);
  }
  return picks;
}

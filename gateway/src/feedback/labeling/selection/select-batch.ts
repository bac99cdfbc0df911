import { mix32, seededRandom } from "@tessera/seeded-random";
import { greedyKCenter } from "./k-center";
import { kMeans } from "./k-means";
import { uncertainties, type LabelingStrategy } from "./uncertainty";
import { byPriority, rowCount, topByPriority, type Vectors } from "./vectors";

export type LabelingDiversity = "NONE" | "KCENTER" | "CLUSTER";

/**
 * β: KCENTER and CLUSTER choose among the β·k highest-ranked items (k = the strategy's share of
 * the batch). 5 follows the usual choice for uncertainty-then-diversity hybrids (e.g. Zhdanov
 * 2019, "Diverse mini-batch active learning", which pre-filters β·k by margin before k-means):
 * large enough that k picks can spread over several regions of the embedding space, small enough
 * that each pick is still among the items the model is least sure about.
 */
export const CANDIDATE_FACTOR = 5;

export interface BatchSelection {
  /** n × classes probabilities, row-major: one row per pool item. */
  probabilities: ArrayLike<number>;
  classes: number;
  strategy: LabelingStrategy;
  diversity: LabelingDiversity;
  /** 1 … n. */
  size: number;
  /** 0 … 1: ⌈randomShare · size⌉ items are drawn uniformly from the whole pool. */
  randomShare: number;
  seed: number;
  /** One row per pool item; required for KCENTER and CLUSTER. */
  embeddings?: Vectors;
  /** Embeddings of what is already labelled (same space): KCENTER starts from them. */
  labelled?: Vectors;
}

export interface Pick {
  /** The pool item's row. */
  index: number;
  /** The strategy's measure for it (normalised entropy under RANDOM), 0 … 1. */
  uncertainty: number;
  /** One of the randomShare draws, not a pick of the strategy. */
  random: boolean;
}

/**
 * Chooses a labelling batch from a scored pool; pure and deterministic for a seed.
 *
 * 1. The random share first, uniformly from the whole pool, so those items stay an unbiased
 *    sample (what a user compares the strategy's picks against).
 * 2. The rest by the strategy's ranking (its uncertainty; under RANDOM a seeded draw), either
 *    the top items (NONE), greedy k-center over the β·k top candidates starting from the labelled
 *    set and the random picks (KCENTER), or k-means++ of the β·k top candidates into k clusters
 *    and the top item of each (CLUSTER; empty clusters are filled by rank).
 *
 * Returns `size` picks: the strategy's in pick order, then the random ones.
 */
export function selectBatch(selection: BatchSelection): Pick[] {
  const { classes, strategy, size, randomShare, seed } = selection;
  const scores = uncertainties(strategy, selection.probabilities, classes);
  const poolSize = scores.length;
  if (!Number.isInteger(size) || size < 1 || size > poolSize) {
    throw new RangeError(`size must be between 1 and the pool's ${poolSize} items, got ${size}`);
  }
  if (!(randomShare >= 0 && randomShare <= 1)) {
    throw new RangeError(`randomShare must be between 0 and 1, got ${randomShare}`);
  }
  const random = seededRandom(mix32(seed));
  // Subtracting a hair keeps 0.1 · 30 = 3.0000000000000004 from rounding up to 4.
  const randomCount = Math.min(size, Math.ceil(randomShare * size - 1e-9));
  const order = Uint32Array.from({ length: poolSize }, (_, i) => i);
  for (let i = 0; i < randomCount; i++) {
    const j = i + Math.floor(random() * (poolSize - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const drawn = Array.from(order.subarray(0, randomCount));
  const remaining = Array.from(order.subarray(randomCount)).sort((a, b) => a - b);
  const priority = strategy === "RANDOM" ? Float64Array.from(scores, () => random()) : scores;

  const strategic = pickByStrategy(selection, remaining, size - randomCount, priority, drawn, random);
  return [
    ...strategic.map((index) => ({ index, uncertainty: scores[index]!, random: false })),
    ...drawn.map((index) => ({ index, uncertainty: scores[index]!, random: true })),
  ];
}

function pickByStrategy(
  selection: BatchSelection,
  candidates: number[],
  count: number,
  priority: Float64Array,
  drawn: readonly number[],
  random: () => number,
): number[] {
  if (count <= 0) return [];
  if (selection.diversity === "NONE") return topByPriority(candidates, priority, count);
  const embeddings = checkedEmbeddings(selection, priority.length);
  const shortlist = topByPriority(candidates, priority, CANDIDATE_FACTOR * count);
  if (selection.diversity === "KCENTER") {
    return greedyKCenter(embeddings, shortlist, count, {
      priority,
      centres: coveredRows(embeddings, selection.labelled, drawn),
    });
  }
  const clustering = kMeans(embeddings, shortlist, count, Math.floor(random() * 2 ** 32));
  const best = new Map<number, number>();
  shortlist.forEach((item, member) => {
    const cluster = clustering.assignments[member]!;
    const current = best.get(cluster);
    if (current === undefined || byPriority(priority)(item, current) < 0) best.set(cluster, item);
  });
  const picks = [...best.values()].sort(byPriority(priority));
  const chosen = new Set(picks);
  return [...picks, ...shortlist.filter((item) => !chosen.has(item))].slice(0, count);
}

function checkedEmbeddings(selection: BatchSelection, poolSize: number): Vectors {
  const { embeddings, labelled } = selection;
  if (!embeddings || rowCount(embeddings) !== poolSize) {
    throw new RangeError(`${selection.diversity} needs one embedding per pool item (${poolSize})`);
  }
  if (labelled && rowCount(labelled) > 0 && labelled.dimension !== embeddings.dimension) {
    throw new RangeError(
      `labelled embeddings have ${labelled.dimension} dimensions, the pool's ${embeddings.dimension}`,
    );
  }
  return embeddings;
}

/** The labelled rows followed by the random picks' rows: what k-center counts as covered. */
function coveredRows(embeddings: Vectors, labelled: Vectors | undefined, drawn: readonly number[]): Vectors {
  const { dimension } = embeddings;
  const labelledRows = labelled ? rowCount(labelled) : 0;
  const values = new Float64Array((labelledRows + drawn.length) * dimension);
  for (let i = 0; i < labelledRows * dimension; i++) values[i] = labelled!.values[i]!;
  drawn.forEach((row, slot) => {
    for (let d = 0; d < dimension; d++) {
      values[(labelledRows + slot) * dimension + d] = embeddings.values[row * dimension + d]!;
    }
  });
  return { values, dimension };
}

import { RandomPurpose, SeededRandom } from "./random";

/** The order an epoch visits the training samples in, and which variant of each it uses. */
export interface EpochPlan {
  order: Uint32Array;
  variants: Uint32Array;
}

/** Depends on (seed, epoch) only, so a resumed run replays the epochs it has not yet run. */
export function planEpoch(seed: number, epoch: number, variantCounts: Uint32Array): EpochPlan {
  const count = variantCounts.length;
  const order = new Uint32Array(count);
  for (let index = 0; index < count; index++) order[index] = index;
  const shuffle = new SeededRandom(seed, RandomPurpose.shuffle, epoch);
  for (let index = count - 1; index > 0; index--) {
    const other = shuffle.nextIndex(index + 1);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  const pick = new SeededRandom(seed, RandomPurpose.variants, epoch);
  const variants = variantCounts.map((variantCount) => pick.nextIndex(variantCount));
  return { order, variants };
}

import type { Monitor } from "../training-contracts";
import { objectiveSign } from "./sampler";

/** A stored trial as far as ranking goes: its number and its monitored metric at its best epoch. */
export interface RankableTrial {
  number: number;
  objective: number | null;
}

/**
 * Trials best first by the monitored metric (lowest loss, highest accuracy); trials without
 * an objective (failed, cancelled, pruned before any value) last; ties by trial number.
 * Returns a new array.
 */
export function rankTrials<T extends RankableTrial>(trials: readonly T[], monitor: Monitor): T[] {
  const sign = objectiveSign(monitor);
  const key = (trial: T) =>
    trial.objective === null || Number.isNaN(trial.objective)
      ? Number.POSITIVE_INFINITY
      : sign * trial.objective;
  return [...trials].sort((a, b) => {
    const byObjective = key(a) - key(b);
    return byObjective !== 0 && !Number.isNaN(byObjective) ? byObjective : a.number - b.number;
  });
}

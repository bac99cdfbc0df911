import { badInput } from "../../errors";

export interface PrunerOptions {
  rule: "median";
  /** Epochs every trial runs before it can be pruned (noisy early epochs decide nothing). */
  warmupEpochs: number;
  /** Earlier trials that must have finished before any trial is pruned. */
  minTrials: number;
}

export interface Pruner {
  /**
   * Whether to stop a trial after `epoch` (1 = the first epoch) at which its monitored metric,
   * in minimised form, is `value`. `completedCurves` holds one curve per earlier finished
   * trial (succeeded or pruned): its minimised values, epoch 1 first.
   */
  shouldPrune(epoch: number, value: number, completedCurves: readonly (readonly number[])[]): boolean;
}

/** The best (lowest) value a curve reached in its first `epoch` epochs, or null if shorter. */
function bestSoFar(curve: readonly number[], epoch: number): number | null {
  if (curve.length < epoch) return null;
  const reached = curve.slice(0, epoch).filter(Number.isFinite);
  return reached.length === 0 ? null : Math.min(...reached);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The median rule: after `warmupEpochs`, and once `minTrials` trials have finished, a trial
 * is pruned at epoch e when its value there is worse (higher) than the median of the best
 * value each earlier trial had reached by epoch e. Earlier trials that stopped before epoch e
 * take no part; when none reached it, the trial goes on. A NaN value is always worse.
 */
export function createPruner(options: PrunerOptions): Pruner {
  const { rule, warmupEpochs, minTrials } = options;
  if (rule !== "median")
    throw badInput(`pruning rule must be "median", got ${String(rule)}`, { field: "rule" });
  if (!Number.isInteger(warmupEpochs) || warmupEpochs < 0) {
    throw badInput(`warmupEpochs must be a whole number of at least 0, got ${warmupEpochs}`, {
      field: "warmupEpochs",
    });
  }
  if (!Number.isInteger(minTrials) || minTrials < 1) {
    throw badInput(`minTrials must be a whole number of at least 1, got ${minTrials}`, {
      field: "minTrials",
    });
  }
  return {
    shouldPrune(epoch, value, completedCurves) {
      if (epoch <= warmupEpochs || completedCurves.length < minTrials) return false;
      const bests = completedCurves.map((curve) => bestSoFar(curve, epoch)).filter((best) => best !== null);
      if (bests.length === 0) return false;
      return !(value <= median(bests));
    },
  };
}

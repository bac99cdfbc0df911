import type { TrialParams, TrialState } from "../training-contracts";

/**
 * A trial the search has already run. `objective` is the value to minimise (the monitored
 * metric times `objectiveSign`), or null when the trial failed or was pruned without one.
 */
export interface CompletedTrial {
  params: TrialParams;
  objective: number | null;
  state: TrialState;
}

/**
 * Suggests trials one at a time. `next` is a pure function of the seed and the history: pass
 * every trial run so far, in trial order; it returns the params of trial `history.length + 1`,
 * or null when the search has nothing more to try. Replaying the same history after a restart
 * gives the same suggestion.
 */
export interface Sampler {
  next(history: readonly CompletedTrial[]): TrialParams | null;
}

export interface SamplerOptions {
  seed: number;
  maxTrials: number;
}

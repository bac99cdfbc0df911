import type { SearchDimension, TrialParams } from "../training-contracts";
import { positionOf, scaleOf, valueAt, type DimensionScale } from "./dimension-scale";
import { categoricalParzen, numericParzen, type ParzenEstimator } from "./parzen-estimator";
import { drawTrial } from "./random-sampler";
import type { CompletedTrial, Sampler, SamplerOptions } from "./sampler-types";
import { seededRandom, trialSeed } from "./seeded-random";

/**
 * The share of trials with an objective that count as "good" (the γ quantile). On the test
 * functions 0.15 found better optima in 40 trials than 0.25 (too broad a good group) and
 * 0.1 (a single good trial for the first dozen suggestions).
 */
const goodShare = 0.15;
/** Candidates drawn from l(x) per suggestion; the one with the highest l(x)/g(x) is tried. */
const candidateCount = 24;

/** Random trials before the model takes over: max(3, 20% of maxTrials). */
export function startupTrials(maxTrials: number): number {
  return Math.max(3, Math.ceil(0.2 * maxTrials));
}

/** Where a trial's value of this dimension lies, on the scale the estimators work on. */
function pointOf(scale: DimensionScale, params: TrialParams): number | null {
  const value = params[scale.dimension.name];
  if (value === undefined) return null;
  if (scale.kind === "list") {
    const position = scale.options.indexOf(value);
    return position < 0 ? null : position;
  }
  return typeof value === "number" ? positionOf(scale, value) : null;
}

function fit(scale: DimensionScale, trials: readonly CompletedTrial[]): ParzenEstimator {
  const points = trials.map((trial) => pointOf(scale, trial.params)).filter((point) => point !== null);
  return scale.kind === "list" ? categoricalParzen(points, scale.options.length) : numericParzen(points);
}

/**
 * Splits the history into the best γ of the trials with an objective and the rest. Failed
 * and pruned trials without a value join the rest, which steers the search away from the
 * regions where trials fail.
 */
function splitByObjective(history: readonly CompletedTrial[]) {
  const valued = history
    .filter((trial) => trial.objective !== null && Number.isFinite(trial.objective))
    .sort((a, b) => (a.objective as number) - (b.objective as number));
  const goodCount = Math.max(1, Math.ceil(goodShare * valued.length));
  const good = valued.slice(0, goodCount);
  const rest = history.filter((trial) => !good.includes(trial));
  return { good, rest };
}

interface DimensionModel {
  scale: DimensionScale;
  good: ParzenEstimator;
  rest: ParzenEstimator;
}

/**
 * Draws candidates from l and keeps the one that maximises l(x)/g(x) over all dimensions,
 * each scored at the value that will actually be tried (an integer range's rounded value).
 */
function bestCandidate(models: readonly DimensionModel[], random: () => number): TrialParams {
  let best = { params: {} as TrialParams, score: Number.NEGATIVE_INFINITY };
  for (let candidate = 0; candidate < candidateCount; candidate++) {
    const params: TrialParams = {};
    let score = 0;
    for (const { scale, good, rest } of models) {
      const drawn = good.sample(random);
      const value = scale.kind === "list" ? scale.options[drawn]! : valueAt(scale, drawn);
      const point = scale.kind === "list" ? drawn : positionOf(scale, value as number);
      params[scale.dimension.name] = value;
      score += good.logDensity(point) - rest.logDensity(point);
    }
    if (score > best.score) best = { params, score };
  }
  return best.params;
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al., 2011), each dimension modelled on its
 * own: after the startup trials, fit l(x) to the good trials and g(x) to the rest, draw
 * candidates from l and try the one that maximises l(x)/g(x) — the point most typical of
 * good trials relative to poor ones.
 */
export function createTpeSampler(space: SearchDimension[], { seed, maxTrials }: SamplerOptions): Sampler {
  const scales = space.map(scaleOf);
  const startup = startupTrials(maxTrials);
  return {
    next(history) {
      const trialIndex = history.length;
      if (trialIndex >= maxTrials) return null;
      const { good, rest } = splitByObjective(history);
      if (trialIndex < startup || good.length === 0) return drawTrial(scales, seed, trialIndex);

      const random = seededRandom(trialSeed(seed, trialIndex));
      const models = scales.map((scale) => ({ scale, good: fit(scale, good), rest: fit(scale, rest) }));
      return bestCandidate(models, random);
    },
  };
}

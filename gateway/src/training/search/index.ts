export { gridPoints, gridSize } from "./grid-sampler";
export { createPruner, type Pruner, type PrunerOptions } from "./median-pruner";
export { rankTrials, type RankableTrial } from "./rank-trials";
export { createSampler, objectiveSign } from "./sampler";
export type { CompletedTrial, Sampler, SamplerOptions } from "./sampler-types";
export { defaultGridSteps, validateSearchSpace } from "./search-space";

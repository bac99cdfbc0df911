import { defineBenchmarkParts } from "./lib/benchmark";
import { measureActiveLearning } from "./feedback/active-learning";
import { measureDrift } from "./feedback/drift";
import { measureAdjustments } from "./feedback/adjustments";

const PARTS = {
  "active-learning": measureActiveLearning,
  drift: measureDrift,
  adjustments: measureAdjustments,
} as const;

/**
 * The feedback loop's statistics, each against its baseline in the same run: active learning
 * (uncertainty + diversity vs random picks), drift detection (shifted vs unshifted streams) and
 * the learned adjustments (held-out accuracy after vs before). All run in-process on the product's
 * own selection, drift and fitting code, seeded.
 */
export default defineBenchmarkParts(
  "feedback: active learning vs random, drift detection, learned adjustments  [part…]",
  PARTS,
);

import { defineBenchmarkParts } from "./lib/benchmark";
import { measureEnsemble } from "./serving/ensemble";
import { measureCache } from "./serving/cache";
import { measureDetection } from "./serving/detection";

const PARTS = {
  ensemble: measureEnsemble,
  cache: measureCache,
  detection: measureDetection,
} as const;

/**
 * Serving beyond one model, each against its baseline in the same run: an ensemble of three
 * members vs its slowest member alone (members run in parallel), a prediction-cache hit vs a miss
 * through GraphQL, and detection through the tier vs in-process ONNX Runtime on the same graph.
 */
export default defineBenchmarkParts(
  "serving: ensemble vs slowest member, cache hit vs miss, detection via tier vs ORT  [part…]",
  PARTS,
);

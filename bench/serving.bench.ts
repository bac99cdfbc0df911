import os from "node:os";
import { defineBenchmark } from "./lib/benchmark";
import type { Ratio } from "./lib/report";
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
export default defineBenchmark({
  description: "serving: ensemble vs slowest member, cache hit vs miss, detection via tier vs ORT  [part…]",
  async run(args) {
    const chosen = args.length > 0 ? args : Object.keys(PARTS);
    const unknown = chosen.filter((name) => !(name in PARTS));
    if (unknown.length > 0) {
      throw new Error(`Unknown part ${unknown.join(", ")}; choose from ${Object.keys(PARTS).join(", ")}`);
    }
    console.log(
      `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`,
    );
    const ratios: Ratio[] = [];
    for (const name of chosen) ratios.push(...(await PARTS[name as keyof typeof PARTS]()));
    return ratios;
  },
});

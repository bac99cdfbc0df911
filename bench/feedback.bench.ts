import os from "node:os";
import { defineBenchmark } from "./lib/benchmark";
import type { Ratio } from "./lib/report";
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
export default defineBenchmark({
  description: "feedback: active learning vs random, drift detection, learned adjustments  [part…]",
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

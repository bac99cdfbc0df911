import os from "node:os";
import type { Ratio } from "./report";

/** What a `bench/<name>.bench.ts` file exports by default. */
export interface Benchmark {
  /** One line for the list `npm run bench` prints. */
  description: string;
  /**
   * Prints its own tables and returns its ratios; the runner prints those after everything else,
   * so the last line of the output is always a ratio. `args` are the words after the name.
   */
  run(args: string[]): Promise<Ratio[]>;
}

export function defineBenchmark(benchmark: Benchmark): Benchmark {
  return benchmark;
}

/**
 * A benchmark made of named parts, each measuring itself against its baseline: the words after the
 * name choose parts (all of them by default), an unknown word fails before anything runs, and the
 * machine line is printed before the chosen parts run in order.
 */
export function defineBenchmarkParts(
  description: string,
  parts: Record<string, () => Promise<Ratio[]>>,
): Benchmark {
  return defineBenchmark({
    description,
    async run(args) {
      const chosen = args.length > 0 ? args : Object.keys(parts);
      const unknown = chosen.filter((name) => !(name in parts));
      if (unknown.length > 0) {
        throw new Error(`Unknown part ${unknown.join(", ")}; choose from ${Object.keys(parts).join(", ")}`);
      }
      console.log(
        `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`,
      );
      const ratios: Ratio[] = [];
      for (const name of chosen) ratios.push(...(await parts[name]!()));
      return ratios;
    },
  });
}

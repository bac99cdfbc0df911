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

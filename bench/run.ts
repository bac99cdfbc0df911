import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Benchmark } from "./lib/benchmark";
import { runPendingCleanups } from "./lib/cleanup";
import { formatRatio } from "./lib/report";

/** `npm run bench -- <name> [args…]` runs bench/<name>.bench.ts. */
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const SUFFIX = ".bench.ts";

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const available = fs
    .readdirSync(benchDir)
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => file.slice(0, -SUFFIX.length))
    .sort();
  if (!name || !available.includes(name)) {
    if (name) console.error(`There is no benchmark "${name}".`);
    await printUsage(available);
    return 2;
  }

  // The gateway and the inference tier it starts log at info level; a bench wants only its figures.
  process.env.LOG_LEVEL ??= "warn";
  const benchmark = await load(name);
  let interrupted = false;
  const interrupt = (signal: NodeJS.Signals) => {
    interrupted = true;
    console.error(`\n${signal}: stopping what the bench started…`);
    void runPendingCleanups().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    const ratios = await benchmark.run(args);
    console.log("");
    for (const ratio of ratios) console.log(formatRatio(ratio));
    return 0;
  } catch (error) {
    // Stopping the gateway under a running bench makes its requests fail; that is no news.
    if (interrupted) return 130;
    await runPendingCleanups();
    console.error(`\nbench ${name} failed:`, error);
    return 1;
  }
}

async function load(name: string): Promise<Benchmark> {
  const file = path.join(benchDir, `${name}${SUFFIX}`);
  const module = (await import(pathToFileURL(file).href)) as { default?: Benchmark };
  if (!module.default) throw new Error(`${file} has no default export (use defineBenchmark)`);
  return module.default;
}

async function printUsage(available: string[]) {
  console.error("Usage: npm run bench -- <name> [args…]\n\nBenchmarks:");
  for (const name of available) console.error(`  ${name.padEnd(12)} ${(await load(name)).description}`);
}

process.exitCode = await main();

import { parseActiveLearningArguments } from "./active-learning-arguments";
import { UsageError } from "../../cli/command-line";
import { EXIT_FAILED, EXIT_USAGE, runSelect } from "./active-learning-run";
import { activeLearningUsage } from "./active-learning-usage";

/** `npm run active-learning -- select --model … --pool … --count …` (see active-learning-usage.ts). */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseActiveLearningArguments(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\nRun \`npm run active-learning -- --help\` for the options.\n`);
    return EXIT_USAGE;
  }
  if (parsed.kind === "help") {
    process.stdout.write(activeLearningUsage);
    return 0;
  }
  return runSelect(parsed.command, process);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`Unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = EXIT_FAILED;
}

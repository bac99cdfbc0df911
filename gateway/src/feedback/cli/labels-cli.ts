import { UsageError } from "../../cli/command-line";
import { EXIT_FAILED, EXIT_USAGE } from "./active-learning-run";
import { parseLabelsArguments } from "./labels-arguments";
import { runSubmit } from "./labels-run";
import { labelsUsage } from "./labels-usage";

/** `npm run labels -- submit --batch <id> --file labels.csv` (see labels-usage.ts). */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseLabelsArguments(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\nRun \`npm run labels -- --help\` for the options.\n`);
    return EXIT_USAGE;
  }
  if (parsed.kind === "help") {
    process.stdout.write(labelsUsage);
    return 0;
  }
  return runSubmit(parsed.command, process);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`Unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = EXIT_FAILED;
}

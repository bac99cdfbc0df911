import { parseTrainArguments, UsageError } from "./train-arguments";
import { EXIT_FAILED, EXIT_USAGE, runTraining } from "./train-run";
import { trainUsage } from "./train-usage";

/**
 * `npm run train -- --dataset <versionId> --model <versionId> --target <slug> [options]`: starts a
 * training job through the gateway's GraphQL API and follows it to the end (see train-usage.ts).
 */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseTrainArguments(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\nRun \`npm run train -- --help\` for the options.\n`);
    return EXIT_USAGE;
  }
  if (parsed.kind === "help") {
    process.stdout.write(trainUsage);
    return 0;
  }
  return runTraining(parsed.command, process, {
    listen(handler) {
      process.on("SIGINT", handler);
      return () => process.off("SIGINT", handler);
    },
  });
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`Unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = EXIT_FAILED;
}

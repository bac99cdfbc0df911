import { setTimeout as sleep } from "node:timers/promises";
import { GatewayClient, GatewayRequestError } from "../../training/cli/gateway-client";
import { UsageError } from "../../cli/command-line";
import { parseMonitorArguments, type MonitorCommand } from "./monitor-arguments";
import { headerLine, MonitorTracker, type MonitorLine, type WatchedPolicy } from "./monitor-render";
import { monitorUsage } from "./monitor-usage";

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const POLICY = `query ($id: ID!) {
  retrainingPolicy(id: $id) {
    id name enabled model { slug }
    evaluations(first: 50) { id at fired dryRun reasons run { id } }
    runs(first: 20) { id status promoted decision error { code message } createdAt finishedAt }
  }
}`;

/**
 * `npm run monitor -- --policy <id>`: prints a retraining policy's evaluations and its runs'
 * decisions as they happen. It polls the policy (evaluations are rows, not job events, so there is
 * no stream to subscribe to; one small query every couple of seconds is cheap) until Ctrl-C.
 */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseMonitorArguments(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\nRun \`npm run monitor -- --help\` for the options.\n`);
    return EXIT_USAGE;
  }
  if (parsed.kind === "help") {
    process.stdout.write(monitorUsage);
    return 0;
  }
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once("SIGINT", onInterrupt);
  try {
    return await monitor(parsed.command, stop.signal);
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

async function monitor(command: MonitorCommand, signal: AbortSignal): Promise<number> {
  const client = new GatewayClient(command.connection.url, command.connection.token);
  const tracker = new MonitorTracker(command.history);
  const print = (line: MonitorLine) =>
    process.stdout.write(`${command.json ? JSON.stringify(line.json) : line.text}\n`);
  let first = true;
  let unreachable = false;
  while (!signal.aborted) {
    try {
      const { retrainingPolicy: policy } = await client.request<{ retrainingPolicy: WatchedPolicy | null }>(
        POLICY,
        {
          id: command.policyId,
        },
      );
      if (!policy) {
        process.stderr.write(`Retraining policy ${command.policyId} not found (or not yours)\n`);
        return EXIT_FAILED;
      }
      if (first && !command.json) process.stdout.write(`${headerLine(policy, command.intervalMs)}\n`);
      first = false;
      unreachable = false;
      for (const line of tracker.update(policy)) print(line);
    } catch (error) {
      if (!(error instanceof GatewayRequestError)) throw error;
      const network = error.errors.every((e) => e.code === "NETWORK_ERROR");
      // A gateway that restarts while we watch is waited for; anything else is reported once and ends it.
      if (first || !network) {
        process.stderr.write(`${error.message}\n`);
        return EXIT_FAILED;
      }
      if (!unreachable) process.stderr.write(`${error.message}; retrying\n`);
      unreachable = true;
    }
    await sleep(command.intervalMs, undefined, { signal }).catch(() => {});
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`Unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = EXIT_FAILED;
}

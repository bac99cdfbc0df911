import { readFile } from "node:fs/promises";
import { GatewayClient, GatewayRequestError } from "../../training/cli/gateway-client";
import { UsageError } from "../../cli/command-line";
import { EXIT_DONE, EXIT_FAILED, EXIT_USAGE, printErrors, type Streams } from "./active-learning-run";
import { parseLabelsCsv, type SubmitCommand } from "./labels-arguments";

export const SUBMIT_LABELS = `
  mutation ($batchId: ID!, $labels: [LabelInput!]!) {
    submitLabels(batchId: $batchId, labels: $labels) {
      id number imageCount classCount unlabeledCount message
    }
  }`;

export interface SubmittedVersion {
  id: string;
  number: number;
  imageCount: number;
  classCount: number;
  unlabeledCount: number;
  message: string | null;
}

/** Reads the CSV, submits its labels and prints the dataset version they made. */
export async function runSubmit(command: SubmitCommand, streams: Streams): Promise<number> {
  let labels;
  try {
    labels = parseLabelsCsv(await readText(command.file), command.file);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    streams.stderr.write(`${error.message}\n`);
    return EXIT_USAGE;
  }
  const client = new GatewayClient(command.url, command.token);
  let version: SubmittedVersion;
  try {
    ({ submitLabels: version } = await client.request<{ submitLabels: SubmittedVersion }>(SUBMIT_LABELS, {
      batchId: command.batchId,
      labels,
    }));
  } catch (error) {
    if (!(error instanceof GatewayRequestError)) throw error;
    printErrors(streams, error.errors, command.json);
    return EXIT_FAILED;
  }
  streams.stdout.write(
    command.json
      ? `${JSON.stringify(version)}\n`
      : `Dataset version ${version.id} (v${version.number}): ${version.imageCount} images in ${version.classCount} classes, ` +
          `${version.unlabeledCount} left unlabeled\n${version.message ?? ""}\n`,
  );
  return EXIT_DONE;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(
      `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

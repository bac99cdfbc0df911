import { GatewayClient, GatewayRequestError, type GatewayError } from "../../training/cli/gateway-client";
import type { SelectCommand } from "./active-learning-arguments";

export const EXIT_DONE = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Where a feedback CLI writes. */
export interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const CREATE_LABELING_BATCH = `
  mutation ($input: LabelingBatchInput!) {
    createLabelingBatch(input: $input) {
      id strategy diversity size randomShare seed labels
      items { id position uncertainty random sample { id originalPath } prediction { id } }
    }
  }`;

export interface SelectedBatch {
  id: string;
  strategy: string;
  diversity: string;
  size: number;
  randomShare: number;
  seed: number;
  labels: string[];
  items: Array<{
    id: string;
    position: number;
    uncertainty: number;
    random: boolean;
    sample: { id: string; originalPath: string } | null;
    prediction: { id: string } | null;
  }>;
}

/** Creates the batch and prints it; the exit code says how it went. */
export async function runSelect(command: SelectCommand, streams: Streams): Promise<number> {
  const client = new GatewayClient(command.url, command.token);
  let batch: SelectedBatch;
  try {
    ({ createLabelingBatch: batch } = await client.request<{ createLabelingBatch: SelectedBatch }>(
      CREATE_LABELING_BATCH,
      { input: command.input },
    ));
  } catch (error) {
    if (!(error instanceof GatewayRequestError)) throw error;
    printErrors(streams, error.errors, command.json);
    return EXIT_FAILED;
  }
  streams.stdout.write(command.json ? `${JSON.stringify(batch)}\n` : batchText(batch));
  return EXIT_DONE;
}

/** The batch as a table: one line per item, most useful columns first. */
export function batchText(batch: SelectedBatch): string {
  const random = batch.items.filter((item) => item.random).length;
  const lines = [
    `Labelling batch ${batch.id}: ${batch.items.length} items by ${batch.strategy} + ${batch.diversity}` +
      (random > 0 ? `, ${random} drawn at random` : "") +
      ` (seed ${batch.seed})`,
    "",
    "  #  uncertainty  item                                  image",
    ...batch.items.map((item) => {
      const image = item.sample
        ? `sample ${item.sample.id} (${item.sample.originalPath})`
        : `prediction ${item.prediction?.id ?? "?"}`;
      return `${String(item.position + 1).padStart(3)}  ${item.uncertainty.toFixed(3).padStart(11)}  ${item.id}  ${image}${item.random ? "  random" : ""}`;
    }),
    "",
    `Labels: ${batch.labels.join(", ")}`,
    `Submit a CSV of itemId,label: npm run labels -- submit --batch ${batch.id} --file labels.csv`,
  ];
  return `${lines.join("\n")}\n`;
}

export function printErrors(streams: Streams, errors: readonly GatewayError[], json: boolean): void {
  if (json) streams.stdout.write(`${JSON.stringify({ errors })}\n`);
  for (const error of errors) streams.stderr.write(`${error.code}: ${error.message}\n`);
}

import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import { loadTasks } from "@tessera/proto/tasks";
import type { GatewayClient } from "../inference/gateway-with-tier";
import { secondsSince, timed } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { MAX_SIDE, MIN_SIDE, type TextureZip } from "./texture-zip";

const DIMENSION = 256;
/**
 * Images per Embed call of the gateway's job (EMBED_BATCH in embed-job.ts; importing that module
 * here would load the GraphQL types before the gateway sets up their metadata).
 */
const EMBED_BATCH = 32;
/** Embed calls the job keeps in flight (EMBED_CALLS_IN_FLIGHT in embed-job.ts). */
const CALLS_IN_FLIGHT = 2;
const POLL_MS = 100;
const TIMEOUT_MS = 10 * 60_000;

const UPLOAD = `mutation ($input: DatasetInput!, $archive: Upload!, $embedding: EmbeddingOptionsInput) {
  uploadDataset(input: $input, archive: $archive, generateEmbeddings: true, embedding: $embedding) {
    imageCount embeddingsQueued version { id }
  }
}`;
const STATUS = `query ($id: ID!) {
  datasetVersion(id: $id) { embeddingStatus { state done failed total error } }
}`;

interface Status {
  state: string;
  done: number;
  failed: number;
  total: number;
  error: string | null;
}

/**
 * (b) Embeddings end to end: from `uploadDataset`'s answer (FEATURE, 256 dimensions queued) until
 * the version's embeddingStatus says SUCCEEDED — queue pickup, blob reads, Embed calls, pgvector
 * writes, quality scores and the HNSW index — vs the tier's Embed called directly with the same
 * images in batches of the job's size, one batch at a time and with as many calls in flight as
 * the job keeps; the ratio is against the faster of the two.
 */
export async function benchEmbeddings(
  gateway: GatewayClient,
  tierPort: number,
  data: TextureZip,
): Promise<Ratio> {
  const images = data.files.map((file) => file.bytes);
  // One untimed batch first, so neither leg pays for the tier's first-call set-up.
  await embedDirectly(tierPort, images.slice(0, EMBED_BATCH), 1);
  const direct = await timed(() => embedDirectly(tierPort, images, 1));
  const directInFlight = await timed(() => embedDirectly(tierPort, images, CALLS_IN_FLIGHT));
  const best = Math.min(direct.seconds, directInFlight.seconds);

  const uploaded = await timed(() =>
    gateway.graphql<{
      uploadDataset: { imageCount: number; embeddingsQueued: boolean; version: { id: string } };
    }>(
      UPLOAD,
      {
        input: { name: "bench-embeddings" },
        archive: null,
        embedding: { method: "FEATURE", dimension: DIMENSION },
      },
      { archive: ["textures.zip", data.zip] },
    ),
  );
  const answer = uploaded.value.uploadDataset;
  if (answer.imageCount !== images.length || !answer.embeddingsQueued) {
    throw new Error(
      `uploadDataset answered ${answer.imageCount} images, embeddingsQueued ${answer.embeddingsQueued}; ` +
        `expected ${images.length}, true`,
    );
  }
  const start = process.hrtime.bigint();
  const status = await waitForEmbeddings(gateway, answer.version.id);
  const endToEnd = secondsSince(start);
  if (status.done !== images.length) {
    throw new Error(`the job embedded ${status.done} of ${images.length} images (${status.failed} failed)`);
  }

  const row = (label: string, seconds: number) => [
    label,
    String(images.length),
    formatNumber(seconds),
    formatNumber(images.length / seconds),
  ];
  printTable(
    `(b) embeddings of ${images.length} images (${data.classes} classes, ${MIN_SIDE}–${MAX_SIDE} px), ` +
      `FEATURE ${DIMENSION} dims, batches of ${EMBED_BATCH}`,
    ["work", "images", "seconds", "images/s"],
    [
      row("job: upload answer → SUCCEEDED", endToEnd),
      row("tier Embed (gRPC) directly, one call at a time", direct.seconds),
      row(`tier Embed (gRPC) directly, ${CALLS_IN_FLIGHT} calls in flight`, directInFlight.seconds),
      row("(uploadDataset itself, not counted)", uploaded.seconds),
    ],
  );
  return {
    name: "datasets.embeddings",
    subject: { label: "end to end", value: images.length / endToEnd, unit: "images/s" },
    baseline: { label: "tier Embed (faster way)", value: images.length / best, unit: "images/s" },
    aim: 0.85,
  };
}

async function embedDirectly(tierPort: number, images: readonly Buffer[], inFlight: number): Promise<void> {
  const TaskService = loadTasks().TaskService;
  const client = new TaskService(`127.0.0.1:${tierPort}`, grpc.credentials.createInsecure());
  const embed = promisify(client.Embed.bind(client)) as (
    request: object,
  ) => Promise<{ embeddings: unknown[] }>;
  let next = 0;
  // Each caller sends its next batch as soon as its last one is answered.
  const caller = async () => {
    for (let offset = next; offset < images.length; offset = next) {
      next += EMBED_BATCH;
      const batch = images.slice(offset, offset + EMBED_BATCH);
      // The same embedder as the upload's default run: the built-in version 2.
      const response = await embed({
        images: batch,
        method: "FEATURE",
        dimension: DIMENSION,
        backbone_model_name: "feature-embedder",
        backbone_model_version: "2",
      });
      if (response.embeddings.length !== batch.length) {
        throw new Error(`Embed answered ${response.embeddings.length} vectors for ${batch.length} images`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: inFlight }, caller));
  } finally {
    client.close();
  }
}

async function waitForEmbeddings(gateway: GatewayClient, versionId: string): Promise<Status> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const { datasetVersion } = await gateway.graphql<{ datasetVersion: { embeddingStatus: Status[] } }>(
      STATUS,
      {
        id: versionId,
      },
    );
    const status = datasetVersion.embeddingStatus[0];
    if (status?.state === "SUCCEEDED") return status;
    if (status?.state === "FAILED") throw new Error(`the embedding run failed: ${status.error}`);
    if (Date.now() > deadline) {
      throw new Error(`embeddings not done after ${TIMEOUT_MS / 1000} s: ${JSON.stringify(status ?? null)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

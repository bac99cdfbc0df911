import { availableParallelism } from "node:os";
import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import { loadTasks } from "@tessera/proto/tasks";
import sharp from "sharp";
import { runLoad } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { seeded } from "./medium-cnn";

const SIZE = 224;
const IMAGES = 16;
const DURATION_MS = 5_000;
const WARMUP_MS = 1_000;

/**
 * (d) The built-in feature embedder (Embed, method FEATURE, 256 dimensions) on 224×224 PNGs,
 * called directly on the tier by one client per core. The baseline is decoding the same PNGs to
 * RGB with sharp in this process: the share of the work that is not the embedding itself.
 */
export async function benchEmbedder(tierPort: number): Promise<Ratio> {
  const images = await Promise.all(Array.from({ length: IMAGES }, (_, i) => texturedPng(i)));
  const clients = availableParallelism();
  const TaskService = loadTasks().TaskService;
  const client = new TaskService(`127.0.0.1:${tierPort}`, grpc.credentials.createInsecure());
  const embed = promisify(client.Embed.bind(client)) as (request: object) => Promise<unknown>;
  let next = 0;
  const image = () => images[next++ % IMAGES]!;
  const embedOne = () => embed({ images: [image()], method: "FEATURE", dimension: 256 }).then(() => {});
  const decodeOne = () =>
    sharp(image())
      .removeAlpha()
      .raw()
      .toBuffer()
      .then(() => {});
  try {
    await runLoad({ clients, durationMs: WARMUP_MS }, embedOne);
    const embedded = await runLoad({ clients, durationMs: DURATION_MS }, embedOne);
    const decoded = await runLoad({ clients, durationMs: DURATION_MS }, decodeOne);
    printTable(
      `(d) built-in feature embedder on ${SIZE}×${SIZE} PNGs (Embed FEATURE on the tier), ${clients} clients`,
      ["work", "images", "images/s", "p50 ms", "p95 ms"],
      [
        ["Embed FEATURE, 256 dims", embedded],
        ["sharp PNG decode only", decoded],
      ].map(([label, r]) => {
        const result = r as typeof embedded;
        return [
          label as string,
          String(result.requests),
          formatNumber(result.perSecond),
          formatNumber(result.latencyMs.p50),
          formatNumber(result.latencyMs.p95),
        ];
      }),
    );
    return {
      name: "inference.feature-embedder",
      subject: { label: "embedder", value: embedded.perSecond, unit: "images/s" },
      baseline: { label: "PNG decode", value: decoded.perSecond, unit: "images/s" },
      note: "no aim: the embedder's images/s is the figure",
    };
  } finally {
    client.close();
  }
}

/** Stripes of two random colours plus noise: texture and colour for the descriptors to work on. */
function texturedPng(seed: number): Promise<Buffer> {
  const random = seeded(seed + 1);
  const a = [random() * 255, random() * 255, random() * 255];
  const b = [random() * 255, random() * 255, random() * 255];
  const period = 4 + Math.floor(random() * 12);
  const data = Buffer.alloc(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const colour = (x + y) % period < period / 2 ? a : b;
      for (let c = 0; c < 3; c++) data[(y * SIZE + x) * 3 + c] = colour[c]! + (random() - 0.5) * 30;
    }
  }
  return sharp(data, { raw: { width: SIZE, height: SIZE, channels: 3 } })
    .png()
    .toBuffer();
}

import { openAsBlob } from "node:fs";
import sharp from "sharp";
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from "undici";
import { openSafeZip, type SafeZip, type SafeZipEntry } from "../../gateway/src/archives/safe-zip";
import { loadConfig } from "../../gateway/src/config";
import type { GatewayClient } from "../inference/gateway-with-tier";
import { timed } from "../lib/measure";
import { formatNumber, MiB, printTable, type Ratio } from "../lib/report";
import { MAX_SIDE, MIN_SIDE, type TextureZipFile } from "./texture-zip";

/** Images in flight in the gateway's ingest (`ingestConcurrency` in dataset-uploads.service.ts). */
export const GATEWAY_INGEST_CONCURRENCY = 4;

const UPLOAD = `mutation ($input: DatasetInput!, $archive: Upload!) {
  uploadDataset(input: $input, archive: $archive, generateEmbeddings: false) {
    imageCount classCount embeddingsQueued skipped { path reason }
  }
}`;

interface UploadAnswer {
  uploadDataset: {
    imageCount: number;
    classCount: number;
    embeddingsQueued: boolean;
    skipped: Array<{ path: string; reason: string }>;
  };
}

/**
 * (a) The generated ZIP through `uploadDataset` without embeddings (multipart upload, archive
 * stored, central directory checked, every image decoded and analysed once, stored, the version
 * written) vs unzipping the same file with the gateway's safe-zip reader and decoding every image
 * to raw pixels with sharp, as many at once as the gateway ingests.
 */
export async function benchIngest(gateway: GatewayClient, data: TextureZipFile): Promise<Ratio> {
  const images = data.images;
  // A file-backed Blob: the client streams the ZIP from disk instead of holding it. The client's
  // type names Buffer; a Blob is what it wraps its content in anyway.
  const archive = (await openAsBlob(data.zipPath)) as unknown as Buffer;
  const memory = sampleRss();
  // fetch gives up after 300 s without response headers; 50,000 images on a busy machine take longer.
  const dispatcher = getGlobalDispatcher();
  setGlobalDispatcher(new Agent({ headersTimeout: 0, bodyTimeout: 0 }));
  const upload = await timed(() =>
    gateway.graphql<UploadAnswer>(
      UPLOAD,
      { input: { name: "bench-ingest" }, archive: null },
      { archive: ["textures.zip", archive] },
    ),
  ).finally(() => {
    memory.stop();
    setGlobalDispatcher(dispatcher);
  });
  // The baseline runs after the upload: it shares this process with the gateway, and memory that
  // its decodes left behind (libvips' cache, malloc arenas) would otherwise count as the gateway's.
  const first = await timed(() => unzipAndDecode(data.zipPath));
  const second = await timed(() => unzipAndDecode(data.zipPath));
  const answer = upload.value.uploadDataset;
  if (answer.imageCount !== images || answer.skipped.length > 0 || answer.embeddingsQueued) {
    throw new Error(
      `uploadDataset answered ${answer.imageCount} images, ${answer.skipped.length} skipped, ` +
        `embeddingsQueued ${answer.embeddingsQueued}; expected ${images}, 0, false`,
    );
  }
  for (const pass of [first, second]) {
    if (pass.value !== images)
      throw new Error(`the baseline decoded ${pass.value} images, expected ${images}`);
  }
  const baselineSeconds = (first.seconds + second.seconds) / 2;
  const row = (label: string, seconds: number) => [
    label,
    String(images),
    formatNumber(seconds),
    formatNumber(images / seconds),
  ];
  printTable(
    `(a) ingest of ${images} images (${data.classes} classes, ${MIN_SIDE}–${MAX_SIDE} px, ` +
      `${formatNumber(data.zipBytes / MiB)} MiB ZIP; generated in ${formatNumber(data.generateSeconds)} s), ` +
      `${GATEWAY_INGEST_CONCURRENCY} images in flight`,
    ["work", "images", "seconds", "images/s"],
    [
      row("uploadDataset, no embeddings", upload.seconds),
      row("unzip + sharp decode, pass 1", first.seconds),
      row("unzip + sharp decode, pass 2", second.seconds),
    ],
  );
  console.log(
    `gateway RSS (this process: the gateway, its database if embedded and a client that streams the ZIP ` +
      `from disk; the tier is another process, the baseline runs after): ` +
      `${formatNumber(memory.before / MiB)} MiB before the upload, peak ${formatNumber(memory.peak / MiB)} MiB ` +
      `during it (+${formatNumber((memory.peak - memory.before) / MiB)} MiB); at the peak: ${memory.split}`,
  );
  return {
    name: "datasets.ingest",
    subject: { label: "uploadDataset", value: images / upload.seconds, unit: "images/s" },
    baseline: { label: "unzip + decode", value: images / baselineSeconds, unit: "images/s" },
    aim: 0.6,
  };
}

/**
 * The process's resident set size, sampled every 50 ms until stopped, with the main thread's V8
 * heap and the memory outside it (Buffers, ArrayBuffers) at the sample where RSS peaked. The
 * gateway runs in this process and nothing else in it holds much during the upload, so the peak is
 * the gateway's and the peak minus the figure before the upload is what the upload added. Worker
 * threads' heaps (image analysis, the embedded database) count in RSS only.
 */
function sampleRss() {
  const before = process.memoryUsage.rss();
  let peak = before;
  let atPeak = process.memoryUsage();
  const sample = () => {
    const usage = process.memoryUsage();
    if (usage.rss > peak) {
      peak = usage.rss;
      atPeak = usage;
    }
  };
  const timer = setInterval(sample, 50);
  return {
    before,
    get peak() {
      return peak;
    },
    /** "heap 212 of 260 MiB, external 40 MiB (array buffers 38 MiB)" at the peak. */
    get split() {
      const mib = (bytes: number) => formatNumber(bytes / MiB);
      return (
        `main-thread V8 heap ${mib(atPeak.heapUsed)} of ${mib(atPeak.heapTotal)} MiB, ` +
        `external ${mib(atPeak.external)} MiB (array buffers ${mib(atPeak.arrayBuffers)} MiB)`
      );
    },
    stop() {
      clearInterval(timer);
      sample();
    },
  };
}

/** Reads every entry of the ZIP and decodes it to raw pixels; resolves to the number decoded. */
async function unzipAndDecode(zipPath: string): Promise<number> {
  const zip = await openSafeZip(zipPath, loadConfig({}).limits.archive);
  try {
    let next = 0;
    let decoded = 0;
    const worker = async () => {
      while (next < zip.entries.length) {
        const entry = zip.entries[next++]!;
        await sharp(await readEntry(zip, entry))
          .raw()
          .toBuffer();
        decoded += 1;
      }
    };
    await Promise.all(Array.from({ length: GATEWAY_INGEST_CONCURRENCY }, worker));
    return decoded;
  } finally {
    zip.close();
  }
}

async function readEntry(zip: SafeZip, entry: SafeZipEntry): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.openEntry(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks, entry.sizeBytes);
}

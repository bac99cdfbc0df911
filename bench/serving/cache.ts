import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { deferCleanup } from "../lib/cleanup";
import { latencies, type Latencies } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import { deployBenchCnn } from "../inference/classify-paths";
import { startGatewayWithTier, type GatewayClient } from "../inference/gateway-with-tier";
import { mediumCnn } from "../inference/medium-cnn";
import { startTierUnderTest } from "../inference/tier-under-test";

const REQUESTS = 200;
const WARMUP = 30;

const CLASSIFY = `mutation ($id: ID!, $image: ImageInput!) {
  classifyImage(modelVersionId: $id, image: $image, topK: 3) { cached predictions { label score } }
}`;
const STATS = "{ predictionCache { hits misses entries bytes } }";

/**
 * Prediction cache hit vs miss: `classifyImage` through GraphQL (multipart upload, auth, sha256 of
 * the image, then the cache or the tier), one request at a time, a miss and a hit in turn. Misses
 * classify a new solid colour every time (a real miss and a fill); hits classify one PNG cached
 * during the warm-up. Both pay the upload and the hashing, so the difference is what a hit saves:
 * the tier's decode, preprocessing and the medium CNN's run.
 */
export async function measureCache(): Promise<Ratio[]> {
  const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tessera-bench-cache-"));
  const removeWorkDir = deferCleanup(() => fs.promises.rm(workDir, { recursive: true, force: true }));
  const tier = await startTierUnderTest();
  let gateway: GatewayClient | null = null;
  try {
    gateway = await startGatewayWithTier(path.join(workDir, "data"), tier.tier.port);
    const cnn = await deployBenchCnn(gateway);
    const client = gateway;
    const classify = async (png: Buffer) => {
      const answer = await client.graphql<{ classifyImage: { cached: boolean } }>(
        CLASSIFY,
        { id: cnn.versionId, image: { upload: null } },
        { "image.upload": ["image.png", png] },
      );
      return answer.classifyImage.cached;
    };
    const distinct = await distinctPngs(WARMUP + REQUESTS);
    const misses = new Timings();
    const hits = new Timings();
    for (const png of [...distinct.slice(0, WARMUP), cnn.png]) await classify(png);
    // Interleaved, so that a busy machine slows both alike.
    for (const png of distinct.slice(WARMUP)) {
      await misses.time(() => classify(png));
      await hits.time(() => classify(cnn.png));
    }
    const { predictionCache } = await gateway.graphql<{ predictionCache: Record<string, number> }>(STATS, {});

    printTable(
      `Prediction cache: classifyImage of a ${mediumCnn.size}×${mediumCnn.size} PNG through GraphQL, ` +
        `medium CNN on the tier, 1 client, ${REQUESTS} requests each`,
      ["path", "answered from cache", "mean ms", "p50 ms", "p95 ms", "p99 ms"],
      (
        [
          ["miss (new image: tier, then fill)", misses],
          ["hit (same image)", hits],
        ] as const
      ).map(([label, run]) => [
        label,
        String(run.cached),
        formatNumber(run.meanMs),
        formatNumber(run.latencyMs.p50),
        formatNumber(run.latencyMs.p95),
        formatNumber(run.latencyMs.p99),
      ]),
    );
    console.log(
      `gateway counters: ${predictionCache.hits} hits, ${predictionCache.misses} misses, ` +
        `${predictionCache.entries} entries, ${predictionCache.bytes} bytes`,
    );
    return [
      {
        name: "serving.cache",
        subject: { label: "hit", value: 1000 / hits.latencyMs.p50, unit: "req/s (1 / p50)" },
        baseline: { label: "miss", value: 1000 / misses.latencyMs.p50, unit: "req/s (1 / p50)" },
        note: `p50 ${formatNumber(hits.latencyMs.p50)} vs ${formatNumber(misses.latencyMs.p50)} ms`,
      },
    ];
  } finally {
    await gateway?.stop();
    await tier.stop();
    await removeWorkDir();
  }
}

/** Each request's latency, and how many the cache answered. */
class Timings {
  private readonly millis: number[] = [];
  cached = 0;

  async time(classify: () => Promise<boolean>): Promise<void> {
    const sent = process.hrtime.bigint();
    if (await classify()) this.cached++;
    this.millis.push(Number(process.hrtime.bigint() - sent) / 1e6);
  }

  get latencyMs(): Latencies {
    return latencies(this.millis);
  }

  get meanMs(): number {
    return this.millis.reduce((a, b) => a + b, 0) / this.millis.length;
  }
}

/** `count` solid PNGs of the CNN's input size, each a different colour (the bench CNN's is not among them). */
function distinctPngs(count: number): Promise<Buffer[]> {
  const size = mediumCnn.size;
  return Promise.all(
    Array.from({ length: count }, (_, n) =>
      sharp({
        create: {
          width: size,
          height: size,
          channels: 3,
          background: { r: n % 256, g: (n >> 8) % 256, b: 7 },
        },
      })
        .png()
        .toBuffer(),
    ),
  );
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchAnalysis } from "./datasets/analysis";
import { benchEmbeddings } from "./datasets/embeddings";
import { benchEmbeddingMap } from "./datasets/embedding-map";
import { benchEmbeddingMapDraw } from "./datasets/embedding-map-draw";
import { benchIngest } from "./datasets/ingest";
import { benchSamplePages } from "./datasets/sample-pages";
import { writeTextureZip, writeTextureZipApart } from "./datasets/texture-zip";
import { startGatewayWithTier } from "./inference/gateway-with-tier";
import { startTierUnderTest } from "./inference/tier-under-test";
import { defineBenchmark } from "./lib/benchmark";
import { deferCleanup } from "./lib/cleanup";
import type { Ratio } from "./lib/report";

const PARTS = ["ingest", "embed", "search", "analysis", "pages", "map", "mapdraw"] as const;
type Part = (typeof PARTS)[number];

interface Options {
  parts: Part[];
  /** Images in the ZIP of part (a). */
  images: number;
  /** Images in the ZIP of part (b). */
  embedImages: number;
  /** Points of the embedding map of parts (e) and (f). */
  mapPoints: number;
}

export default defineBenchmark({
  description:
    "datasets: uploadDataset ingest vs unzip + decode; embeddings end to end vs the tier's Embed  [ingest] [embed] [search] [analysis] [pages] [map] [mapdraw] [--images=N] [--embed-images=N] [--map-points=N]",
  async run(args) {
    const options = parseOptions(args);
    const ratios: Ratio[] = [];
    const needsGateway = options.parts.includes("ingest") || options.parts.includes("embed");
    if (needsGateway) {
      const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tessera-bench-"));
      const removeWorkDir = deferCleanup(() => fs.promises.rm(workDir, { recursive: true, force: true }));
      try {
        const tier = await startTierUnderTest();
        try {
          const gateway = await startGatewayWithTier(path.join(workDir, "data"), tier.tier.port);
          console.log(
            `gateway at ${gateway.url}, inference tier process on 127.0.0.1:${tier.tier.port}\n` +
              `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)} ` +
              "(figures from a busy machine are low and noisy: compare runs, not single numbers)",
          );
          try {
            if (options.parts.includes("ingest")) {
              const data = await writeTextureZipApart(workDir, "ingest", options.images, 1);
              ratios.push(await benchIngest(gateway, data));
            }
            if (options.parts.includes("embed")) {
              // Another seed: images already embedded elsewhere must not make this run look fast.
              const data = await writeTextureZip(workDir, "embed", options.embedImages, 2);
              ratios.push(await benchEmbeddings(gateway, tier.tier.port, data));
            }
          } finally {
            await gateway.stop();
          }
        } finally {
          await tier.stop();
        }
      } finally {
        await removeWorkDir();
      }
    }
    if (options.parts.includes("analysis")) ratios.push(...(await benchAnalysis()));
    if (options.parts.includes("pages")) ratios.push(await benchSamplePages(100_000));
    if (options.parts.includes("map")) ratios.push(await benchEmbeddingMap(options.mapPoints));
    if (options.parts.includes("mapdraw")) {
      const drawn = await benchEmbeddingMapDraw(options.mapPoints);
      if (drawn) ratios.push(drawn);
    }
    if (options.parts.includes("search")) {
      console.log(
        "\n(c) similarity search at 100k vectors (p50/p99 latency, recall@10 vs exact search): " +
          "npm run bench -- vectors",
      );
    }
    return ratios;
  },
});

function parseOptions(args: string[]): Options {
  const options: Options = { parts: [], images: 5_000, embedImages: 1_000, mapPoints: 50_000 };
  for (const arg of args) {
    const mapFlag = /^--map-points=(\d+)$/.exec(arg);
    if (mapFlag) {
      options.mapPoints = Math.max(3, Number(mapFlag[1]));
      continue;
    }
    const flag = /^--(images|embed-images)=(\d+)$/.exec(arg);
    if (flag) {
      const value = Number(flag[2]);
      if (value < 1) throw new Error(`${arg}: expected at least 1 image`);
      if (flag[1] === "images") options.images = value;
      else options.embedImages = value;
    } else if ((PARTS as readonly string[]).includes(arg)) {
      options.parts.push(arg as Part);
    } else {
      throw new Error(
        `Unknown argument "${arg}": expected any of ${PARTS.join(", ")}, --images=N, --embed-images=N, --map-points=N`,
      );
    }
  }
  if (options.parts.length === 0) options.parts = [...PARTS];
  return options;
}

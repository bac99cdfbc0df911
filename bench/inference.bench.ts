import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineBenchmark } from "./lib/benchmark";
import { deferCleanup } from "./lib/cleanup";
import type { Ratio } from "./lib/report";
import { benchClassifyLatency } from "./inference/classify-latency";
import { benchClassifyPaths } from "./inference/classify-paths";
import { benchDynamicBatching } from "./inference/dynamic-batching";
import { benchEmbedder } from "./inference/embedder";
import { startGatewayWithTier } from "./inference/gateway-with-tier";
import { benchModelInfer } from "./inference/model-infer";
import { startTierUnderTest } from "./inference/tier-under-test";

const PARTS = ["infer", "batching", "classify", "embed", "latency"] as const;
type Part = (typeof PARTS)[number];

export default defineBenchmark({
  description:
    "inference tier: ModelInfer vs in-process ORT; dynamic batching on/off; classifyImage vs Classify; feature embedder; classifyImage p99 at 10/50 clients  [infer] [batching] [classify] [embed] [latency]",
  async run(args) {
    const parts = parseParts(args);
    const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tessera-bench-"));
    const removeWorkDir = deferCleanup(() => fs.promises.rm(workDir, { recursive: true, force: true }));
    try {
      const tier = await startTierUnderTest();
      console.log(
        `inference tier process on 127.0.0.1:${tier.tier.port}\n` +
          `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)} ` +
          "(figures from a busy machine are low and noisy: compare runs, not single numbers)",
      );
      const ratios: Ratio[] = [];
      try {
        if (parts.includes("infer")) ratios.push(...(await benchModelInfer(tier)));
        if (parts.includes("batching")) ratios.push(...(await benchDynamicBatching(tier)));
        if (parts.includes("classify")) {
          const gateway = await startGatewayWithTier(path.join(workDir, "data"), tier.tier.port);
          try {
            ratios.push(await benchClassifyPaths(gateway, tier.tier.port));
          } finally {
            await gateway.stop();
          }
        }
        if (parts.includes("embed")) ratios.push(await benchEmbedder(tier.tier.port));
        if (parts.includes("latency")) {
          const gateway = await startGatewayWithTier(path.join(workDir, "latency-data"), tier.tier.port);
          try {
            ratios.push(await benchClassifyLatency(gateway, tier.tier.port));
          } finally {
            await gateway.stop();
          }
        }
      } finally {
        await tier.stop();
      }
      return ratios;
    } finally {
      await removeWorkDir();
    }
  },
});

function parseParts(args: string[]): Part[] {
  for (const arg of args) {
    if (!(PARTS as readonly string[]).includes(arg))
      throw new Error(`Unknown argument "${arg}": expected any of ${PARTS.join(", ")}`);
  }
  return args.length === 0 ? [...PARTS] : (args as Part[]);
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineBenchmark } from "./lib/benchmark";
import { deferCleanup } from "./lib/cleanup";
import { timed } from "./lib/measure";
import type { Ratio } from "./lib/report";
import { benchDatabaseName, startGatewayUnderTest } from "./registry/gateway-under-test";
import { benchModelCount } from "./registry/model-count";
import { benchModelList, seedBenchModels } from "./registry/model-list";
import { GatewayClient } from "./registry/http-client";
import { benchTransfer } from "./registry/transfer";

const PARTS = ["list", "count", "transfer"] as const;
type Part = (typeof PARTS)[number];
const DEFAULT_MIB = 200;
const DEFAULT_MODELS = 5_000;

export default defineBenchmark({
  description: `model registry: ${DEFAULT_MIB} MiB upload + download vs fs copy; models(first: 50) vs hand-written SQL; models { totalCount } of ${DEFAULT_MODELS} vs { me } at 100 clients  [list] [count] [transfer] [--mib=N] [--models=N]`,
  async run(args) {
    const { parts, mib, models } = parseArgs(args);
    // One folder for the gateway's data and the bench's files, so both sides use the same disk.
    const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tessera-bench-"));
    const removeWorkDir = deferCleanup(() => fs.promises.rm(workDir, { recursive: true, force: true }));
    try {
      const started = await timed(() => startGatewayUnderTest(path.join(workDir, "data")));
      const gateway = started.value;
      const stopGateway = deferCleanup(() => gateway.stop());
      console.log(
        `gateway ${gateway.url} on ${benchDatabaseName()}, data in ${workDir} ` +
          `(started in ${started.seconds.toFixed(1)} s)\n` +
          `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)} ` +
          "(figures from a busy machine are low and noisy: compare runs, not single numbers)",
      );
      const ratios: Ratio[] = [];
      try {
        // The list and the count run first: the transfer adds a model they would otherwise see.
        if (parts.includes("list") || parts.includes("count")) {
          const client = new GatewayClient(gateway.url, gateway.adminToken);
          await seedBenchModels(client).finally(() => client.close());
        }
        if (parts.includes("list")) ratios.push(await benchModelList(gateway));
        if (parts.includes("count")) ratios.push(await benchModelCount(gateway, models));
        if (parts.includes("transfer")) ratios.push(await benchTransfer(gateway, workDir, mib));
      } finally {
        await stopGateway();
      }
      return ratios;
    } finally {
      await removeWorkDir();
    }
  },
});

function parseArgs(args: string[]): { parts: Part[]; mib: number; models: number } {
  const parts: Part[] = [];
  let mib = DEFAULT_MIB;
  let models = DEFAULT_MODELS;
  for (const arg of args) {
    const size = /^--mib=(\d+)$/.exec(arg);
    const count = /^--models=(\d+)$/.exec(arg);
    if (size) mib = Number(size[1]);
    else if (count) models = Number(count[1]);
    else if ((PARTS as readonly string[]).includes(arg)) parts.push(arg as Part);
    else
      throw new Error(
        `Unknown argument "${arg}": expected ${PARTS.join(" or ")}, --mib=<size of the file> ` +
          "or --models=<models in the registry for count>",
      );
  }
  if (mib < 1) throw new Error("--mib must be at least 1");
  return { parts: parts.length ? parts : [...PARTS], mib, models };
}

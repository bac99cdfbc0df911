import { defineBenchmark } from "./lib/benchmark";
import type { Ratio } from "./lib/report";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { deferCleanup } from "./lib/cleanup";
import { benchHeadTraining } from "./training/head-training";
import { benchSubscriberFanout } from "./training/subscriber-fanout";
import { startTrainingGateway } from "./training/training-gateway";

const PARTS = ["head", "subscribers"] as const;
type Part = (typeof PARTS)[number];

interface Options {
  parts: Part[];
  imagesPerClass: number;
  epochs: number;
  subscribers: number;
  events: number;
}

export default defineBenchmark({
  description:
    "training: trained head vs nearest centroid, feature/head samples/s; 200 subscribers vs 1  [head] [subscribers] [--images-per-class=N] [--epochs=N] [--subscribers=N] [--events=N]",
  async run(args) {
    const options = parseOptions(args);
    const ratios: Ratio[] = [];
    console.log(
      `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)} ` +
        "(figures from a busy machine are low and noisy: compare runs, not single numbers)",
    );
    if (options.parts.includes("head")) ratios.push(await benchHeadTraining(options));
    if (options.parts.includes("subscribers")) {
      const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tessera-bench-"));
      const removeWorkDir = deferCleanup(() => fs.promises.rm(workDir, { recursive: true, force: true }));
      try {
        const gateway = await startTrainingGateway(path.join(workDir, "data"));
        try {
          console.log(
            `\ngateway at ${gateway.running.url} (no training worker: the bench appends the events)`,
          );
          ratios.push(await benchSubscriberFanout(gateway, options));
        } finally {
          await gateway.stop();
        }
      } finally {
        await removeWorkDir();
      }
    }
    return ratios;
  },
});

function parseOptions(args: string[]): Options {
  const options: Options = { parts: [], imagesPerClass: 40, epochs: 20, subscribers: 200, events: 200 };
  const flags = {
    "images-per-class": "imagesPerClass",
    epochs: "epochs",
    subscribers: "subscribers",
    events: "events",
  } as const;
  for (const arg of args) {
    const flag = /^--([a-z-]+)=(\d+)$/.exec(arg);
    const key = flag && flags[flag[1] as keyof typeof flags];
    if (key) {
      const value = Number(flag[2]);
      if (value < 1) throw new Error(`${arg}: expected 1 or more`);
      options[key] = value;
    } else if ((PARTS as readonly string[]).includes(arg)) {
      options.parts.push(arg as Part);
    } else {
      throw new Error(
        `Unknown argument "${arg}": expected any of ${PARTS.join(", ")}, ${Object.keys(flags)
          .map((name) => `--${name}=N`)
          .join(", ")}`,
      );
    }
  }
  if (options.parts.length === 0) options.parts = [...PARTS];
  return options;
}

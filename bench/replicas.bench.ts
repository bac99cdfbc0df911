import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchReplicaUpload } from "./cluster/blob-upload";
import { benchReplicaClassify } from "./cluster/classify";
import { startCluster } from "./cluster/cluster-under-test";
import { benchReplicaJobEvents } from "./cluster/job-events";
import { benchReplicaModelList } from "./cluster/model-list";
import type { SplitLoadOptions } from "./cluster/split-load";
import { defineBenchmark } from "./lib/benchmark";
import { deferCleanup } from "./lib/cleanup";
import { timed } from "./lib/measure";
import type { Ratio } from "./lib/report";

const PARTS = ["classify", "list", "events", "upload"] as const;
type Part = (typeof PARTS)[number];

interface Options {
  parts: Part[];
  clients: number;
  seconds: number;
  epochs: number;
  mib: number;
}

const DEFAULTS: Omit<Options, "parts"> = { clients: 8, seconds: 4, epochs: 5, mib: 64 };

export default defineBenchmark({
  description:
    "two gateway replicas vs one on the same PostgreSQL (classifyImage, models(first: 50)); job events on B from a worker; upload MiB/s to S3 (s3rver) vs local  [classify] [list] [events] [upload] [--clients=N] [--seconds=N] [--epochs=N] [--mib=N]",
  async run(args) {
    const options = parseOptions(args);
    const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
    if (!serverUrl) {
      console.error(
        "The replicas bench needs a real PostgreSQL server with pgvector: the replicas share it, and the\n" +
          "embedded database serves one process. Set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to the URL\n" +
          "of a role that may create databases, e.g. the server .ci/run starts:\n\n" +
          "  BENCH_DATABASE_URL=postgres://postgres@localhost:55432/postgres npm run bench -- replicas\n\n" +
          "The bench creates a database of its own there and drops it when it ends.",
      );
      process.exit(2);
    }
    const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tessera-bench-"));
    const removeWorkDir = deferCleanup(() => fs.promises.rm(workDir, { recursive: true, force: true }));
    try {
      const cluster = await startCluster(serverUrl, workDir);
      const ratios: Ratio[] = [];
      try {
        console.log(
          `replicas A ${cluster.a.url} and B ${cluster.b.url}, a worker and one tier (127.0.0.1:${cluster.tier.port}) ` +
            `on ${redact(cluster.databaseUrl)}, started at once in ${cluster.startSeconds.toFixed(1)} s; ` +
            `migrations: ${cluster.migrations.applied} recorded, ${cluster.migrations.duplicated} twice\n` +
            `node ${process.version}, ${os.cpus().length} CPUs, load average ${loadAverages()} ` +
            "(figures from a busy machine are low and noisy: compare runs, not single numbers)",
        );
        if (cluster.migrations.duplicated > 0) throw new Error("a migration was recorded more than once");
        const load: SplitLoadOptions = {
          clients: options.clients,
          warmupMs: 1_000,
          durationMs: options.seconds * 1000,
        };
        const parts: Record<Part, () => Promise<Ratio>> = {
          classify: () => benchReplicaClassify(cluster, load),
          list: () => benchReplicaModelList(cluster, load),
          events: () => benchReplicaJobEvents(cluster, { epochs: options.epochs }),
          upload: () => benchReplicaUpload(cluster, workDir, options.mib),
        };
        for (const part of PARTS.filter((name) => options.parts.includes(name))) {
          const { value, seconds } = await timed(parts[part]);
          ratios.push(value);
          console.log(`(${part}: ${seconds.toFixed(0)} s with its set-up)`);
        }
      } finally {
        await cluster.stop();
      }
      console.log(`\nload average at the end ${loadAverages()}`);
      return ratios;
    } finally {
      await removeWorkDir();
    }
  },
});

/** The 1, 5 and 15-minute load averages. */
function loadAverages(): string {
  return os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(" ");
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

function parseOptions(args: string[]): Options {
  const options: Options = { parts: [], ...DEFAULTS };
  const flags = { clients: "clients", seconds: "seconds", epochs: "epochs", mib: "mib" } as const;
  for (const arg of args) {
    const flag = /^--([a-z]+)=(\d+)$/.exec(arg);
    const key = flag && flags[flag[1] as keyof typeof flags];
    if (key) {
      options[key] = Number(flag[2]);
      if (options[key] < 1) throw new Error(`${arg}: expected 1 or more`);
    } else if ((PARTS as readonly string[]).includes(arg)) {
      options.parts.push(arg as Part);
    } else {
      throw new Error(
        `Unknown argument "${arg}": expected any of ${PARTS.join(", ")}, ` +
          Object.keys(flags)
            .map((name) => `--${name}=N`)
            .join(", "),
      );
    }
  }
  if (options.clients % 2 !== 0) throw new Error("--clients must be even: the two replicas get half each");
  if (options.parts.length === 0) options.parts = [...PARTS];
  return options;
}

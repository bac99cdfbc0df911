import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { deferCleanup } from "./lib/cleanup";
import { defineBenchmark } from "./lib/benchmark";
import { latencies } from "./lib/measure";
import { formatNumber, printTable, type Ratio } from "./lib/report";
import { startTrainingGateway, type TrainingGateway } from "./training/training-gateway";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const INTERVAL_MS = 20;

/**
 * How long a job's event takes to reach a `jobEvents` subscriber on the gateway when a worker in
 * another process appends it (woken by LISTEN/NOTIFY on a real PostgreSQL, by polling on the
 * embedded database), against the same events appended inside the gateway's own process (woken
 * at once). `DATABASE_URL` runs it on a real server.
 */
export default defineBenchmark({
  description:
    "jobs: job events to a subscriber, appended in another process vs in the gateway's  [--events=N]",
  async run(args) {
    const events = Number(
      /^--events=(\d+)$/.exec(args.find((arg) => arg.startsWith("--events=")) ?? "")?.[1] ?? 200,
    );
    console.log(
      `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}, ` +
        `${process.env.DATABASE_URL ? "PostgreSQL at DATABASE_URL" : "embedded database"}`,
    );
    const workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "tessera-bench-"));
    const removeWorkDir = deferCleanup(() => fs.promises.rm(workDir, { recursive: true, force: true }));
    try {
      const gateway = await startTrainingGateway(path.join(workDir, "data"), process.env.DATABASE_URL);
      try {
        const inProcess = await measure(gateway, events, "in-process");
        const crossProcess = await measure(gateway, events, "cross-process");
        printTable(
          `\njob events to one jobEvents subscriber, one every ${INTERVAL_MS} ms`,
          ["appended", "events", "p50 ms", "p95 ms", "p99 ms", "max ms"],
          [inProcess, crossProcess].map((run) => [
            run.label,
            String(run.count),
            formatNumber(run.latency.p50),
            formatNumber(run.latency.p95),
            formatNumber(run.latency.p99),
            formatNumber(run.max),
          ]),
        );
        const ratio: Ratio = {
          name: "jobs.event-latency p99",
          subject: { label: "another process", value: crossProcess.latency.p99, unit: "ms" },
          baseline: { label: "the gateway's own process", value: inProcess.latency.p99, unit: "ms" },
          note: "lower is better; aim: another process's p99 <= 200 ms on PostgreSQL",
        };
        return [ratio];
      } finally {
        await gateway.stop();
      }
    } finally {
      await removeWorkDir();
    }
  },
});

async function measure(gateway: TrainingGateway, events: number, label: "in-process" | "cross-process") {
  const { prisma, services } = gateway.running;
  const admin = await prisma.user.findFirstOrThrow({ where: { handle: "admin" } });
  const job = await prisma.job.create({
    data: {
      kind: "embed-dataset-version",
      payload: {},
      ownerId: admin.id,
      status: "RUNNING",
      maxAttempts: 1,
    },
  });
  const client = createClient({
    url: `${gateway.running.url.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${gateway.adminToken}` },
  });
  const millis: number[] = [];
  try {
    let subscribed!: () => void;
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    const streamed = (async () => {
      const stream = client.iterate<{ jobEvents: { __typename: string; at: string } }>({
        query: `subscription ($id: ID!) { jobEvents(jobId: $id) {
          __typename ... on JobProgressEvent { at } ... on JobStateEvent { at } ... on JobSnapshotEvent { at } } }`,
        variables: { id: job.id },
      });
      for await (const event of stream) {
        const { __typename, at } = event.data!.jobEvents;
        if (__typename === "JobSnapshotEvent") subscribed();
        else millis.push(Date.now() - Date.parse(at));
      }
    })();
    await ready;
    if (label === "cross-process") {
      const appender = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "gateway/test/jobs/append-events.ts",
          gateway.databaseUrl,
          job.id,
          String(events),
          String(INTERVAL_MS),
        ],
        { cwd: repoRoot, stdio: ["ignore", "inherit", "inherit"] },
      );
      await once(appender, "exit");
    } else {
      for (let index = 1; index <= events; index++) {
        await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
        await services.jobs.events.append(job.id, "progress", {
          status: "RUNNING",
          fraction: index / events,
          phase: "STEP",
          done: index,
          total: events,
        });
      }
      await services.jobs.events.append(job.id, "state", { status: "SUCCEEDED", attempt: 1, error: null });
    }
    await streamed;
  } finally {
    await client.dispose();
  }
  if (millis.length !== events + 1)
    throw new Error(`${label}: ${millis.length} of ${events + 1} events arrived`);
  return { label, count: millis.length, latency: latencies(millis), max: Math.max(...millis) };
}

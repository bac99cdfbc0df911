import os from "node:os";
import { latencies, secondsSince, type Latencies } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import type { ClusterUnderTest } from "./cluster-under-test";

export interface SplitLoadOptions {
  /** Requests in flight in all: the same whether one replica or two answer them. */
  clients: number;
  warmupMs: number;
  durationMs: number;
}

interface SplitRun {
  label: string;
  requests: number;
  perSecond: number;
  latencyMs: Latencies;
  /** Requests each replica answered, A first. */
  perReplica: number[];
  /** CPU of the replicas, the worker, the tier and this bench's client, per request. */
  cpuMsPerRequest: number;
  loadAverage: number;
}

/** One request to one replica; the bench checks the answer (data, no errors) inside. */
export type Send = () => Promise<void>;

/**
 * The same closed-loop load (`clients` loops, each sending its next request when the previous one
 * answers) on replica A alone, split evenly over A and B twice, then on A alone again: drift that
 * is steady over the four runs falls on both sides alike. The ratio is the mean req/s of the two
 * split runs ÷ the mean of the two single-replica runs.
 */
export async function compareOneVsTwo(
  cluster: ClusterUnderTest,
  name: string,
  title: string,
  options: SplitLoadOptions,
  send: { a: Send; b: Send },
): Promise<Ratio> {
  const one = [send.a];
  const two = [send.a, send.b];
  // Both replicas warm (JIT, pools, caches) before anything is timed.
  await closedLoop(options.clients, options.warmupMs, two);
  const runs: SplitRun[] = [];
  runs.push(await measured(cluster, "one replica (A)", options, one));
  runs.push(await measured(cluster, "two replicas (A + B)", options, two));
  runs.push(await measured(cluster, "two replicas (A + B), again", options, two));
  runs.push(await measured(cluster, "one replica (A), again", options, one));
  printTable(
    `${title}, ${options.clients} clients in all, ${options.durationMs / 1000} s each`,
    ["gateways", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "A / B", "CPU ms/req", "load"],
    runs.map((run) => [
      run.label,
      String(run.requests),
      formatNumber(run.perSecond),
      formatNumber(run.latencyMs.p50),
      formatNumber(run.latencyMs.p95),
      formatNumber(run.latencyMs.p99),
      run.perReplica.join(" / "),
      formatNumber(run.cpuMsPerRequest),
      run.loadAverage.toFixed(2),
    ]),
  );
  const [oneFirst, twoFirst, twoAgain, oneAgain] = runs as [SplitRun, SplitRun, SplitRun, SplitRun];
  const mean = (x: SplitRun, y: SplitRun, figure: (run: SplitRun) => number) => (figure(x) + figure(y)) / 2;
  const perSecond = (run: SplitRun) => run.perSecond;
  const cpu = (run: SplitRun) => run.cpuMsPerRequest;
  return {
    name,
    subject: { label: "two replicas", value: mean(twoFirst, twoAgain, perSecond), unit: "req/s" },
    baseline: { label: "one replica", value: mean(oneFirst, oneAgain, perSecond), unit: "req/s" },
    note:
      `${options.clients} clients in all, means of 2 runs each; CPU ms/req ` +
      `${formatNumber(mean(twoFirst, twoAgain, cpu))} vs ${formatNumber(mean(oneFirst, oneAgain, cpu))}`,
    aim: 0.95,
  };
}

async function measured(
  cluster: ClusterUnderTest,
  label: string,
  options: SplitLoadOptions,
  targets: Send[],
): Promise<SplitRun> {
  const serverCpu = cluster.serverCpuSeconds();
  const clientCpu = process.cpuUsage();
  const load = await closedLoop(options.clients, options.durationMs, targets);
  const client = process.cpuUsage(clientCpu);
  const cpuSeconds = cluster.serverCpuSeconds() - serverCpu + (client.user + client.system) / 1e6;
  const perReplica = [0, 0];
  load.targetOfEach.forEach((target) => perReplica[target]!++);
  return {
    label,
    requests: load.millis.length,
    perSecond: load.millis.length / load.seconds,
    latencyMs: latencies(load.millis),
    perReplica,
    cpuMsPerRequest: (cpuSeconds * 1000) / load.millis.length,
    loadAverage: os.loadavg()[0]!,
  };
}

/**
 * `clients` loops until the duration is up; loop i sends to targets[i % targets.length], so the
 * clients split evenly. Every request that starts also finishes inside the measured time.
 */
async function closedLoop(clients: number, durationMs: number, targets: Send[]) {
  const millis: number[] = [];
  const targetOfEach: number[] = [];
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(durationMs) * 1_000_000n;
  const client = async (index: number) => {
    const target = index % targets.length;
    while (process.hrtime.bigint() < deadline) {
      const sent = process.hrtime.bigint();
      await targets[target]!();
      millis.push(Number(process.hrtime.bigint() - sent) / 1e6);
      targetOfEach.push(target);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
  return { millis, targetOfEach, seconds: secondsSince(start) };
}

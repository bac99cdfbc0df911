import { setTimeout as sleep } from "node:timers/promises";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { TRAINING_PROGRESS, type TrainingEvent } from "../../gateway/src/training/cli/training-documents";
import type { JobEventLog } from "../../gateway/src/jobs/job-event-log";
import type { ProgressEventPayload, StateEventPayload } from "../../gateway/src/jobs/job-event-subscriber";
import type { TrainingEventPayloads, TrainingOptions } from "../../gateway/src/training/training-contracts";
import { trainingDefaults } from "../../gateway/src/training/training-defaults";
import type { TrainingProgressDetail } from "../../gateway/src/training/worker/job-progress";
import { insertTrainingJob } from "../../gateway/test/support/training-jobs";
import { latencies } from "../lib/measure";
import { formatNumber, printTable, type Ratio } from "../lib/report";
import type { TrainingGateway } from "./training-gateway";

export interface FanoutOptions {
  subscribers: number;
  /** Events appended to the job's log per run, the last one the job's end. */
  events: number;
}

/** One event every this many ms: several times a real job's rate (4 progress events/s + metrics). */
const EVENT_INTERVAL_MS = 50;
const SUBSCRIBE_TIMEOUT_MS = 60_000;
const WARM_UP_EVENTS = 40;

interface FanoutRun {
  subscribers: number;
  appended: number;
  /** Subscribers that received exactly the appended events, in order. */
  complete: number;
  latencyMs: ReturnType<typeof latencies>;
  maxMs: number;
  /** Subscribers and upstreams the gateway still held after the clients left. */
  leftOver: { subscribers: number; upstreams: number };
}

/**
 * (c) `subscribers` graphql-ws clients (each its own connection, as dashboards would be) follow
 * one job through `trainingProgress` while the bench appends events to the job's log through the
 * gateway's own JobEventLog, as the worker inside the gateway does. Latency is each event's
 * createdAt (stored by the database, ms) to its arrival at a client. 1 subscriber runs before and
 * after the crowd, so drift shows.
 */
export async function benchSubscriberFanout(
  gateway: TrainingGateway,
  options: FanoutOptions,
): Promise<Ratio> {
  // Unreported: the first appends and subscriptions after start pay for JIT and cold caches.
  await fanoutRun(gateway, 1, WARM_UP_EVENTS);
  const runs: FanoutRun[] = [];
  for (const subscribers of [1, options.subscribers, 1]) {
    runs.push(await fanoutRun(gateway, subscribers, options.events));
  }
  printTable(
    `(c) trainingProgress over graphql-ws: ${options.events} events per job, one every ${EVENT_INTERVAL_MS} ms, ` +
      "createdAt → received",
    ["subscribers", "events each", "got all, in order", "p50 ms", "p95 ms", "p99 ms", "max ms", "left over"],
    runs.map((run) => [
      String(run.subscribers),
      String(run.appended),
      `${run.complete}/${run.subscribers}`,
      formatNumber(run.latencyMs.p50),
      formatNumber(run.latencyMs.p95),
      formatNumber(run.latencyMs.p99),
      formatNumber(run.maxMs),
      `${run.leftOver.subscribers} subscribers, ${run.leftOver.upstreams} upstreams`,
    ]),
  );
  const crowd = runs[1]!;
  const incomplete = runs.filter((run) => run.complete < run.subscribers);
  if (incomplete.length > 0) {
    throw new Error(
      `events went missing: ${incomplete.map((run) => `${run.complete}/${run.subscribers}`).join(", ")}`,
    );
  }
  const single = (runs[0]!.latencyMs.p99 + runs[2]!.latencyMs.p99) / 2;
  return {
    name: "training.subscribers p99",
    subject: { label: `${crowd.subscribers} subscribers`, value: crowd.latencyMs.p99, unit: "ms" },
    baseline: { label: "1 subscriber (mean of before and after)", value: single, unit: "ms" },
    note: "lower is better; every event reached every subscriber",
  };
}

async function fanoutRun(gateway: TrainingGateway, count: number, events: number): Promise<FanoutRun> {
  const { prisma, services } = gateway.running;
  const log = services.jobs.events;
  const admin = await prisma.user.findFirstOrThrow({ where: { handle: "admin" } });
  const options: TrainingOptions = {
    ...trainingDefaults,
    classWeights: {},
    featureOutput: null,
    hpSpace: [],
  };
  const job = await insertTrainingJob(prisma, {
    ownerId: admin.id,
    targetModelSlug: "bench-fanout",
    options: JSON.parse(JSON.stringify(options)),
    labels: ["a", "b"],
    totalEpochs: options.epochs,
  });

  const url = `${gateway.running.url.replace(/^http/, "ws")}/graphql`;
  const subscribers = Array.from({ length: count }, () => new Subscriber(url, gateway.adminToken, job.id));
  try {
    await Promise.all(subscribers.map((subscriber) => subscriber.ready));
    const appended: number[] = [];
    const start = performance.now();
    for (let index = 1; index <= events; index++) {
      await sleep(Math.max(0, start + index * EVENT_INTERVAL_MS - performance.now()));
      appended.push((await appendEvent(log, job.id, index, events)).seq);
    }
    await Promise.all(subscribers.map((subscriber) => subscriber.done));
    const millis = subscribers.flatMap((subscriber) => subscriber.latencies);
    const expected = JSON.stringify(appended);
    return {
      subscribers: count,
      appended: appended.length,
      complete: subscribers.filter((subscriber) => JSON.stringify(subscriber.seqs) === expected).length,
      latencyMs: latencies(millis),
      maxMs: Math.max(...millis),
      leftOver: await leftOver(log, job.id),
    };
  } finally {
    await Promise.all(subscribers.map((subscriber) => subscriber.close()));
  }
}

/**
 * Progress events with a metrics event every fifth, as an epoch ends; the last (a CANCELLED
 * state) ends the job. Each is one trainingProgress event: progress, metrics, failed.
 */
function appendEvent(log: JobEventLog, jobId: string, index: number, total: number) {
  if (index === total) {
    const cancelled: StateEventPayload = {
      status: "CANCELLED",
      attempt: 1,
      error: { code: "CANCELLED", message: "bench run over" },
    };
    return log.append(jobId, "state", cancelled);
  }
  const epoch = Math.floor(index / 5) + 1;
  if (index % 5 === 0) {
    const metrics: TrainingEventPayloads["metrics"] = {
      trial: 0,
      epoch,
      values: {
        loss: 1 / index,
        accuracy: index / total,
        val_loss: 1.1 / index,
        val_accuracy: index / total,
      },
    };
    return log.append(jobId, "metrics", metrics);
  }
  const detail: TrainingProgressDetail = {
    phase: "TRAINING",
    trial: 0,
    epoch,
    totalEpochs: Math.ceil(total / 5),
    step: index % 5,
    totalSteps: 5,
  };
  const progress: ProgressEventPayload = {
    status: "RUNNING",
    fraction: index / total,
    phase: "TRAINING",
    done: null,
    total: null,
    detail,
  };
  return log.append(jobId, "progress", progress);
}

/** The gateway lets go of a subscriber when its socket closes; give that a moment. */
async function leftOver(log: JobEventLog, jobId: string) {
  for (
    let attempt = 0;
    attempt < 20 && (log.subscriberCount(jobId) > 0 || log.upstreamCount > 0);
    attempt++
  ) {
    await sleep(50);
  }
  return { subscribers: log.subscriberCount(jobId), upstreams: log.upstreamCount };
}

/** One dashboard: its own connection and subscription; the first event is the job's current state. */
class Subscriber {
  readonly seqs: number[] = [];
  readonly latencies: number[] = [];
  readonly ready: Promise<void>;
  readonly done: Promise<void>;
  readonly #client: Client;

  constructor(url: string, token: string, jobId: string) {
    this.#client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    let first = true;
    let markReady = () => {};
    this.ready = withTimeout(new Promise<void>((resolve) => (markReady = resolve)), "the current state");
    this.done = withTimeout(
      new Promise<void>((resolve, reject) => {
        this.#client.subscribe<{ trainingProgress: TrainingEvent }>(
          { query: TRAINING_PROGRESS, variables: { jobId } },
          {
            next: (result) => {
              const receivedAt = performance.timeOrigin + performance.now();
              const event = result.data?.trainingProgress;
              if (!event) return reject(new Error(`subscription error: ${JSON.stringify(result.errors)}`));
              if (first) {
                first = false;
                markReady();
                return;
              }
              this.seqs.push(event.seq);
              this.latencies.push(receivedAt - Date.parse(event.at));
            },
            error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
            complete: () => resolve(),
          },
        );
      }),
      "the end of the stream",
    );
  }

  async close(): Promise<void> {
    await this.#client.dispose();
  }
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`a subscriber waited ${SUBSCRIBE_TIMEOUT_MS} ms for ${what}`)),
      SUBSCRIBE_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

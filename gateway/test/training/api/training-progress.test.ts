import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger";
import { JobEventLog } from "../../../src/jobs/job-event-log";
import { trainingStartingState } from "../../../src/training/training-event-view";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { insertTrainingJob } from "../../support/training-jobs";
import {
  CANCEL_TRAINING,
  featureEmbedderVersionId,
  NO_TRAINING_WORKER,
  startedJob,
  storedModelVersion,
  uploadTextures,
} from "./training-api";

const logger = createLogger({ level: "silent" });

const TRAINING_PROGRESS = `
  subscription ($jobId: ID!) {
    trainingProgress(jobId: $jobId) {
      __typename
      ... on TrainingProgressEvent { seq status phase trial epoch totalEpochs step totalSteps progress }
      ... on TrainingMetricsEvent { seq trial epoch values { name value } }
      ... on TrialEvent { seq trial state params { name value choice } objective epochsRun }
      ... on TrainingCompletedEvent { seq evaluation { accuracy confusionMatrix } testEvaluation { accuracy } resultModelVersion { id } }
      ... on TrainingFailedEvent { seq status reason }
    }
  }`;

type Event = { __typename: string; seq: number; [field: string]: unknown };

interface Subscriber {
  events: Event[];
  errors: unknown[];
  /** Resolves when the server completes the stream (or it errs). */
  ended: Promise<void>;
  client: Client;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("trainingProgress", () => {
  let gateway: TestGateway;
  let ada: string;
  let bob: string;
  let input: Record<string, unknown>;
  /** The gateway's own log: appends here wake its subscribers at once. */
  let log: JobEventLog;
  /** A log on another connection pool, as a worker in another process appends. */
  let elsewhere: JobEventLog;

  const subscribe = (jobId: string, token: string): Subscriber => {
    const client = createClient({
      url: `${gateway.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const events: Event[] = [];
    const errors: unknown[] = [];
    const ended = (async () => {
      try {
        for await (const result of client.iterate<{ trainingProgress: Event }>({
          query: TRAINING_PROGRESS,
          variables: { jobId },
        })) {
          if (result.errors) errors.push(...result.errors);
          if (result.data) events.push(result.data.trainingProgress);
        }
      } catch (error) {
        errors.push(error);
      }
    })();
    return { events, errors, ended, client };
  };

  const metrics = (epoch: number) => ({
    trial: 1,
    epoch,
    values: { loss: 1 / epoch, val_accuracy: epoch / 100 },
  });

  beforeAll(async () => {
    gateway = await startTestGateway({ env: NO_TRAINING_WORKER });
    ada = await gateway.createMember("ada");
    bob = await gateway.createMember("bob");
    input = {
      datasetVersionId: (await uploadTextures(gateway, "textures", ada)).versionId,
      baseModelVersionId: await featureEmbedderVersionId(gateway),
      targetModelSlug: "classifier",
    };
    log = gateway.running.services.jobs.events;
    elsewhere = new JobEventLog(gateway.prisma, logger, { pollIntervalMs: 50 });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it("tells a late subscriber the current state first, then each event as it is appended, ending with completion", async () => {
    const job = await startedJob(gateway, input, ada);
    // As the platform logs a training run's progress: the training details ride in `detail`.
    await log.append(job.id, "progress", {
      status: "RUNNING",
      fraction: 0.14,
      phase: "TRAINING",
      done: null,
      total: null,
      detail: { phase: "TRAINING", trial: 1, epoch: 3, totalEpochs: 20, step: 2, totalSteps: 4 },
    });
    await log.append(job.id, "metrics", metrics(3));
    await gateway.prisma.job.update({
      where: { id: job.id },
      data: { status: "RUNNING", progress: 0.15, startedAt: new Date() },
    });
    await gateway.prisma.trainingJob.update({ where: { id: job.id }, data: { currentEpoch: 3 } });
    const subscriber = subscribe(job.id, ada);
    await until(() => subscriber.events.length === 1, "the current state");
    expect(subscriber.events).toEqual([
      {
        __typename: "TrainingProgressEvent",
        seq: 3,
        status: "RUNNING",
        phase: "TRAINING",
        trial: 1,
        epoch: 3,
        totalEpochs: 20,
        step: 2,
        totalSteps: 4,
        progress: 0.15,
      },
    ]);

    const resultId = await storedModelVersion(gateway, "ada", "classifier", {});
    await elsewhere.append(job.id, "metrics", metrics(4));
    await log.append(job.id, "trial", {
      trial: 1,
      state: "SUCCEEDED",
      params: { optimizer: "ADAM", learningRate: 0.001 },
      objective: 0.25,
      epochsRun: 4,
    });
    const confusionMatrix = [2, 0, 0, 0, 1, 1, 0, 0, 2];
    const validation = {
      split: "validation",
      count: 6,
      accuracy: 5 / 6,
      loss: 0.3,
      perClass: [],
      confusionMatrix,
      calibrationError: 0.1,
    };
    // The platform's SUCCEEDED state, with the result the training kind reports.
    await elsewhere.append(job.id, "state", {
      status: "SUCCEEDED",
      attempt: 1,
      error: null,
      result: { resultModelVersionId: resultId, evaluation: { validation, test: null } },
    });
    await subscriber.ended;
    expect(subscriber.errors).toEqual([]);
    expect(subscriber.events.slice(1)).toEqual([
      {
        __typename: "TrainingMetricsEvent",
        seq: 4,
        trial: 1,
        epoch: 4,
        values: [
          { name: "loss", value: 0.25 },
          { name: "val_accuracy", value: 0.04 },
        ],
      },
      {
        __typename: "TrialEvent",
        seq: 5,
        trial: 1,
        state: "SUCCEEDED",
        params: [
          { name: "learningRate", value: 0.001, choice: null },
          { name: "optimizer", value: null, choice: "ADAM" },
        ],
        objective: 0.25,
        epochsRun: 4,
      },
      {
        __typename: "TrainingCompletedEvent",
        seq: 6,
        evaluation: {
          accuracy: 5 / 6,
          confusionMatrix: [
            [2, 0, 0],
            [0, 1, 1],
            [0, 0, 2],
          ],
        },
        testEvaluation: null,
        resultModelVersion: { id: resultId },
      },
    ]);
    await subscriber.client.dispose();
    await until(() => log.upstreamCount === 0, "the upstream to stop");
  });

  it("tells a subscriber to a finished job how it ended, then completes the stream", async () => {
    const job = await startedJob(gateway, { ...input, targetModelSlug: "cancelled" }, ada);
    expect((await gateway.gql(CANCEL_TRAINING, { id: job.id }, ada)).errors).toBeUndefined();
    const subscriber = subscribe(job.id, ada);
    await subscriber.ended;
    expect(subscriber.errors).toEqual([]);
    expect(subscriber.events).toEqual([
      expect.objectContaining({
        __typename: "TrainingProgressEvent",
        seq: 2,
        status: "CANCELLED",
        phase: "QUEUED",
      }),
      {
        __typename: "TrainingFailedEvent",
        seq: 2,
        status: "CANCELLED",
        reason: "Cancelled by ada before it started",
      },
    ]);
    await subscriber.client.dispose();
    await until(() => log.upstreamCount === 0, "the upstream to stop");
  });

  it("refuses a subscriber who may not see the job, as NOT_FOUND", async () => {
    const job = await startedJob(gateway, { ...input, targetModelSlug: "private" }, ada);
    const subscriber = subscribe(job.id, bob);
    await subscriber.ended;
    expect(subscriber.events).toEqual([]);
    expect(subscriber.errors).toEqual([
      expect.objectContaining({
        message: `Training job ${job.id} not found`,
        extensions: expect.objectContaining({ code: "NOT_FOUND" }),
      }),
    ]);
    await subscriber.client.dispose();
    expect(log.upstreamCount).toBe(0);
  });

  it("delivers every event in order to 50 concurrent subscribers over one upstream; their leaving stops it", async () => {
    const job = await startedJob(gateway, { ...input, targetModelSlug: "crowded" }, ada);
    const subscribers = Array.from({ length: 50 }, () => subscribe(job.id, ada));
    await until(
      () => subscribers.every((s) => s.events.length === 1),
      "every subscriber's current state",
      30_000,
    );
    expect(log.upstreamCount).toBe(1);
    expect(log.subscriberCount(job.id)).toBe(50);

    // Alternating: appends in the gateway's process (woken at once) and elsewhere (found by polling).
    for (let epoch = 1; epoch <= 30; epoch++)
      await (epoch % 2 ? log : elsewhere).append(job.id, "metrics", metrics(epoch));
    await until(
      () => subscribers.every((s) => s.events.length === 31),
      "every event at every subscriber",
      30_000,
    );
    for (const subscriber of subscribers) {
      expect(subscriber.errors).toEqual([]);
      expect(subscriber.events[0]).toMatchObject({
        __typename: "TrainingProgressEvent",
        seq: 1,
        status: "QUEUED",
      });
      expect(subscriber.events.slice(1).map((e) => [e.seq, e.epoch])).toEqual(
        Array.from({ length: 30 }, (_, i) => [i + 2, i + 1]),
      );
    }

    await Promise.all(subscribers.map((s) => s.client.dispose()));
    await until(() => log.upstreamCount === 0, "the upstream to stop");
    expect(log.subscriberCount(job.id)).toBe(0);
  }, 60_000);
});

describe("JobEventLog", () => {
  let gateway: TestGateway;
  let jobId: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ env: NO_TRAINING_WORKER });
    const owner = await gateway.prisma.user.findUniqueOrThrow({ where: { handle: "admin" } });
    const job = await insertTrainingJob(gateway.prisma, {
      ownerId: owner.id,
      targetModelSlug: "x",
      options: {},
      totalEpochs: 5,
    });
    jobId = job.id;
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it("numbers events 1, 2, … per job when several processes append at once", async () => {
    const logs = [gateway.running.services.jobs.events, new JobEventLog(gateway.prisma, logger)];
    const appended = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        logs[i % 2]!.append(jobId, "metrics", { trial: 1, epoch: i + 1, values: {} }),
      ),
    );
    expect(appended.map((r) => r.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    const stored = await gateway.prisma.jobEvent.findMany({ where: { jobId }, orderBy: { seq: "asc" } });
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it("ends a waiting subscriber at once when it returns or its signal aborts, leaving no upstream", async () => {
    const log = new JobEventLog(gateway.prisma, logger, { pollIntervalMs: 10 });
    const startingState = (seq: number) => trainingStartingState(gateway.prisma, jobId, seq);
    const returned = log.subscribe(jobId, startingState);
    expect((await returned.next()).value).toMatchObject({ type: "training-snapshot", seq: 40 });
    const waiting = returned.next();
    await returned.return!();
    expect(await waiting).toEqual({ value: undefined, done: true });

    const controller = new AbortController();
    const aborted = log.subscribe(jobId, startingState, controller.signal);
    await aborted.next();
    const pending = aborted.next();
    expect(log.upstreamCount).toBe(1);
    controller.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(log.upstreamCount).toBe(0);
    expect(log.subscriberCount(jobId)).toBe(0);
  });
});

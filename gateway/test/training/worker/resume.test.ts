import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestGateway } from "../../support/gateway";
import {
  eventLog,
  everyEpochOnce,
  finished,
  jobState,
  startJob,
  startWorkerHarness,
  storedMetricKeys,
  textureFixture,
  trainingEventLog,
  waitForCheckpoint,
  waitForJob,
  type TrainingFixture,
  type WorkerHarness,
} from "./worker-support";
import { spawnWorker, type WorkerProcess } from "./worker-process";

const EPOCHS = 40;

/**
 * The gateway runs no training worker; `npm run worker` processes on the same database, blob
 * store and tier do. One is killed mid-job; the next one resumes the job from its checkpoint.
 */
describe("a training job whose worker process is killed", () => {
  let harness: WorkerHarness;
  let gateway: TestGateway;
  let fixture: TrainingFixture;
  let env: Record<string, string>;
  let workers: WorkerProcess[];

  beforeAll(async () => {
    harness = await startWorkerHarness();
    ({ gateway, workerEnv: env, workers } = harness);
    fixture = await textureFixture(gateway, "textures");
  });

  afterAll(() => harness?.stop());

  it("resumes after the last checkpoint, killed or stopped: every epoch stored exactly once, the model registered", async () => {
    const job = await startJob(gateway, fixture, "resumed-model", {
      epochs: EPOCHS,
      batchSize: 2,
      enableEarlyStopping: false,
    });
    const first = await spawnWorker(env);
    workers.push(first);
    const checkpointed = await waitForCheckpoint(gateway, job.id, 2);
    await first.kill();
    const killedAt = new Date();
    const survived = await gateway.prisma.trainingTrial.findUniqueOrThrow({
      where: { jobId_number: { jobId: job.id, number: 0 } },
    });
    expect(survived.checkpointEpoch!, "the job finished before the worker was killed").toBeLessThan(EPOCHS);
    expect(survived.checkpointEpoch!).toBeGreaterThanOrEqual(checkpointed);
    const running = await jobState(gateway, job.id);
    expect(running).toMatchObject({ status: "RUNNING", attempts: 1 });

    const second = await spawnWorker(env);
    workers.push(second);
    await waitForCheckpoint(gateway, job.id, survived.checkpointEpoch! + 3);
    // Stopped the polite way, the worker hands the job back with a fresh queue job at once.
    expect(await second.terminate(), second.output().slice(-3000)).toBe(0);
    const handedBack = await jobState(gateway, job.id);
    expect(handedBack).toMatchObject({ status: "QUEUED", workerId: null, attempts: 2 });
    expect(handedBack.queueJobId).not.toBe(running.queueJobId);

    const third = await spawnWorker(env);
    workers.push(third);
    const done = await waitForJob(gateway, job.id, finished);
    expect(done.error, third.output().slice(-3000)).toBeNull();
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 3, progress: 1, currentEpoch: EPOCHS });
    expect(done.workerId).not.toBe(running.workerId);

    expect(await storedMetricKeys(gateway, job.id)).toEqual(everyEpochOnce(EPOCHS));
    // Resumed, not restarted: epochs up to the checkpoint were stored before the kill and kept.
    const early = await gateway.prisma.trainingMetric.findMany({
      where: { jobId: job.id, epoch: { lte: survived.checkpointEpoch! } },
    });
    expect(early.every((metric) => metric.createdAt < killedAt)).toBe(true);
    const trial = await gateway.prisma.trainingTrial.findUniqueOrThrow({
      where: { jobId_number: { jobId: job.id, number: 0 } },
    });
    expect(trial).toMatchObject({ status: "SUCCEEDED", epochsRun: EPOCHS });

    const events = await eventLog(gateway, job.id);
    const states = events
      .filter((e) => e.type === "state")
      .map((e) => e.payload as { status: string; attempt: number });
    // Queued; on the first worker; queued once it was found dead; on the second; handed back; on the third.
    expect(states.map(({ status, attempt }) => `${status}:${attempt}`)).toEqual([
      "QUEUED:0",
      "RUNNING:1",
      "QUEUED:1",
      "RUNNING:2",
      "QUEUED:2",
      "RUNNING:3",
      "SUCCEEDED:3",
    ]);
    expect(events.at(-1)).toMatchObject({ type: "state", payload: { status: "SUCCEEDED" } });
    // The same story as trainingProgress tells it.
    const streamed = await trainingEventLog(gateway, job.id);
    const statuses = streamed
      .filter((e) => e.type === "progress")
      .map((e) => (e.payload as { status: string }).status);
    expect(dedupe(statuses)).toEqual(["QUEUED", "RUNNING", "QUEUED", "RUNNING", "QUEUED", "RUNNING"]);
    expect(streamed.at(-1)).toMatchObject({ type: "completed" });

    const version = await gateway.prisma.modelVersion.findFirstOrThrow({ where: { trainingJobId: job.id } });
    expect(version).toMatchObject({ trainedFromId: fixture.baseId, trainedOnId: fixture.versionId });
  });
});

function dedupe(values: string[]): string[] {
  return values.filter((value, index) => index === 0 || values[index - 1] !== value);
}

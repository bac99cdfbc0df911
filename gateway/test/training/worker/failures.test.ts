import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestGateway } from "../../support/gateway";
import { insertTrainingJob } from "../../support/training-jobs";
import { CANCEL_TRAINING } from "../api/training-api";
import {
  eventLog,
  expectNoErrors,
  finished,
  startJob,
  startWorkerGateway,
  textureFixture,
  trainingEventLog,
  waitForJob,
  type TrainingFixture,
} from "./worker-support";

/** Jobs that end without a model: cancelled, diverged, or whose dataset went away. */
describe("training jobs that end without a model", () => {
  let gateway: TestGateway;
  let fixture: TrainingFixture;

  beforeAll(async () => {
    gateway = await startWorkerGateway();
    fixture = await textureFixture(gateway, "textures");
  });

  afterAll(() => gateway?.stop());

  it("cancels a running job within seconds: CANCELLED, trial cancelled, no more epochs, nothing registered", async () => {
    const job = await startJob(gateway, fixture, "cancelled-model", {
      epochs: 1000,
      batchSize: 2,
      enableEarlyStopping: false,
    });
    await waitForJob(gateway, job.id, (row) => row.currentEpoch >= 2);
    const cancelled = await gateway.gql(CANCEL_TRAINING, { id: job.id });
    expectNoErrors(cancelled);
    const asked = Date.now();
    const row = await waitForJob(gateway, job.id, finished, 10_000);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(row).toMatchObject({ status: "CANCELLED", error: "The job was cancelled" });
    expect(row.finishedAt).not.toBeNull();
    expect(row.currentEpoch).toBeLessThan(1000);

    const trials = await gateway.prisma.trainingTrial.findMany({ where: { jobId: job.id } });
    expect(trials).toMatchObject([{ number: 0, status: "CANCELLED" }]);
    const events = await eventLog(gateway, job.id);
    expect(events.at(-1)).toMatchObject({
      type: "state",
      payload: {
        status: "CANCELLED",
        attempt: 1,
        error: { code: "CANCELLED", message: "The job was cancelled" },
      },
    });
    const finalStates = events.filter(
      (e) =>
        e.type === "state" &&
        ["SUCCEEDED", "FAILED", "CANCELLED"].includes((e.payload as { status: string }).status),
    );
    expect(finalStates).toHaveLength(1);
    const streamed = await trainingEventLog(gateway, job.id);
    expect(streamed.at(-1)).toMatchObject({ type: "failed", payload: { status: "CANCELLED" } });
    expect(streamed.filter((e) => e.type === "failed")).toHaveLength(1);

    // The tier stopped: no epoch is stored after the job ended.
    const metricCount = await gateway.prisma.trainingMetric.count({ where: { jobId: job.id } });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await gateway.prisma.trainingMetric.count({ where: { jobId: job.id } })).toBe(metricCount);
    expect(await gateway.prisma.model.count({ where: { slug: "cancelled-model" } })).toBe(0);
  });

  it("fails a job whose loss turns NaN with the tier's reason, registers nothing, and is not retried", async () => {
    const job = await startJob(gateway, fixture, "diverged-model", {
      epochs: 5,
      batchSize: 2,
      optimizer: "SGD",
      momentum: 0.99,
      learningRate: 1e30,
    });
    const row = await waitForJob(gateway, job.id, finished);
    expect(row.status).toBe("FAILED");
    expect(row.error).toMatch(/loss became (NaN|Infinity|-Infinity)/);
    expect(row.attempts).toBe(1);
    const events = await eventLog(gateway, job.id);
    expect(events.at(-1)).toMatchObject({
      type: "state",
      payload: { status: "FAILED", attempt: 1, error: { message: row.error } },
    });
    expect((await trainingEventLog(gateway, job.id)).at(-1)).toMatchObject({
      type: "failed",
      payload: { status: "FAILED", reason: row.error },
    });
    const trials = await gateway.prisma.trainingTrial.findMany({ where: { jobId: job.id } });
    expect(trials).toMatchObject([{ status: "FAILED", error: row.error }]);
    expect(await gateway.prisma.model.count({ where: { slug: "diverged-model" } })).toBe(0);
    const [queued] = await gateway.prisma.$queryRaw<Array<{ state: string }>>`
      SELECT state::text FROM pgboss.job WHERE id = ${row.queueJobId}::uuid`;
    expect(queued?.state).toBe("completed");
  });

  it("fails a job whose dataset version was deleted, even one the queue lost track of", async () => {
    const template = await gateway.prisma.trainingJob.findFirstOrThrow();
    // As if the version was deleted while the job waited, and its queue job was lost: only the
    // sweep for orphaned jobs can find it.
    const longAgo = new Date(Date.now() - 60_000);
    const orphan = await insertTrainingJob(
      gateway.prisma,
      {
        ownerId: template.ownerId,
        datasetVersionId: null,
        baseModelVersionId: fixture.baseId,
        targetModelSlug: "orphan-model",
        options: template.options as object,
        labels: template.labels,
        totalEpochs: template.totalEpochs,
        createdAt: longAgo,
      },
      { createdAt: longAgo, updatedAt: longAgo },
    );
    expect(orphan.job).toMatchObject({ status: "QUEUED", queueJobId: null });
    const row = await waitForJob(gateway, orphan.id, finished, 15_000);
    expect(row).toMatchObject({ status: "FAILED", error: "The dataset version was deleted" });
    expect(row.queueJobId).not.toBeNull();
  });
});

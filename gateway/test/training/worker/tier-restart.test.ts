import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/logger";
import { startLocalTier, type LocalTier } from "../../../src/tier/local-tier";
import type { TestGateway } from "../../support/gateway";
import {
  eventLog,
  everyEpochOnce,
  finished,
  startJob,
  startWorkerGateway,
  storedMetricKeys,
  textureFixture,
  waitForCheckpoint,
  waitForJob,
  type TrainingFixture,
} from "./worker-support";

const logger = createLogger({ level: "silent" });

const EPOCHS = 30;

/** The tier a job trains on crashes and is restarted by its supervisor while the job runs. */
describe("a training job whose tier dies mid-stream", () => {
  let tier: LocalTier;
  let gateway: TestGateway;
  let fixture: TrainingFixture;

  beforeAll(async () => {
    tier = await startLocalTier({ port: 0, tritonUrl: null, logger });
    gateway = await startWorkerGateway({ INFERENCE_URL: tier.url });
    fixture = await textureFixture(gateway, "textures");
  });

  afterAll(async () => {
    await gateway?.stop();
    await tier?.stop();
  });

  it("is continued by the same worker from its checkpoint once the tier is back", async () => {
    const job = await startJob(gateway, fixture, "tier-restart-model", {
      epochs: EPOCHS,
      batchSize: 2,
      enableEarlyStopping: false,
    });
    await waitForCheckpoint(gateway, job.id, 2);
    const tierPid = tier.pid()!;
    process.kill(tierPid, "SIGKILL");

    const done = await waitForJob(gateway, job.id, finished);
    expect(tier.pid()).not.toBe(tierPid);
    expect(done.error).toBeNull();
    // Not handed to the queue again: the worker that held it waited for the tier.
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 1 });
    expect(await storedMetricKeys(gateway, job.id)).toEqual(everyEpochOnce(EPOCHS));
    const trialEvents = (await eventLog(gateway, job.id)).filter((e) => e.type === "trial");
    expect(trialEvents.map((e) => (e.payload as { state: string }).state)).toEqual(["RUNNING", "SUCCEEDED"]);
  });
});

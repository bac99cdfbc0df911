import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestGateway } from "../../support/gateway";
import {
  everyEpochOnce,
  expectNoErrors,
  finished,
  startJob,
  startWorkerGateway,
  storedMetricKeys,
  textureFixture,
  waitForJob,
  type TrainingFixture,
} from "./worker-support";

const EPOCHS = 3;

interface SearchedJob {
  status: string;
  progress: number;
  trials: Array<{
    number: number;
    status: string;
    objective: number | null;
    epochsRun: number;
    params: Array<{ name: string; value: number | null; choice: string | null }>;
  }>;
  resultModelVersion: { hyperparameters: Record<string, unknown>; metrics: { extra: { trial: number } } };
}

/** Each strategy runs its trials, stores each one's history, and exports the best of them. */
describe("hyperparameter search", () => {
  let gateway: TestGateway;
  let fixture: TrainingFixture;

  beforeAll(async () => {
    gateway = await startWorkerGateway();
    fixture = await textureFixture(gateway, "textures");
  });

  afterAll(() => gateway?.stop());

  async function search(
    slug: string,
    options: Record<string, unknown>,
  ): Promise<SearchedJob & { id: string }> {
    const job = await startJob(gateway, fixture, slug, {
      epochs: EPOCHS,
      batchSize: 4,
      enableEarlyStopping: false,
      enableHyperparameterTuning: true,
      pruneTrials: false,
      ...options,
    });
    const row = await waitForJob(gateway, job.id, finished);
    expect(row.error).toBeNull();
    const body = await gateway.gql<{ trainingJob: SearchedJob }>(
      `query ($id: ID!) { trainingJob(id: $id) {
        status progress
        trials { number status objective epochsRun params { name value choice } }
        resultModelVersion { hyperparameters metrics { extra } }
      } }`,
      { id: job.id },
    );
    expectNoErrors(body);
    return { id: job.id, ...body.data!.trainingJob };
  }

  /** The exported version is the trial with the lowest validation loss, with its parameters. */
  async function expectBestExported(job: SearchedJob & { id: string }, trialCount: number) {
    expect(job).toMatchObject({ status: "SUCCEEDED", progress: 1 });
    expect(job.trials).toHaveLength(trialCount);
    for (const trial of job.trials) {
      expect(trial).toMatchObject({ status: "SUCCEEDED", epochsRun: EPOCHS });
      expect(await storedMetricKeys(gateway, job.id, trial.number)).toEqual(everyEpochOnce(EPOCHS));
    }
    const objectives = job.trials.map((t) => t.objective!);
    expect(objectives).toEqual([...objectives].sort((a, b) => a - b));
    const best = job.trials[0]!;
    expect(job.resultModelVersion.metrics.extra.trial).toBe(best.number);
    const learningRate = best.params.find((p) => p.name === "learningRate")!.value;
    expect(job.resultModelVersion.hyperparameters.learningRate).toBe(learningRate);
  }

  it("GRID enumerates the grid, stopping when it is exhausted before maxTrials", async () => {
    const job = await search("grid-model", {
      strategy: "GRID",
      maxTrials: 5,
      hpSpace: [{ name: "learningRate", values: [0.001, 0.1] }],
    });
    await expectBestExported(job, 2);
    const byNumber = [...job.trials].sort((a, b) => a.number - b.number);
    expect(byNumber.map((t) => t.params)).toEqual([
      [{ name: "learningRate", value: 0.001, choice: null }],
      [{ name: "learningRate", value: 0.1, choice: null }],
    ]);
  });

  it("RANDOM draws maxTrials seeded trials from the space", async () => {
    const job = await search("random-model", {
      strategy: "RANDOM",
      maxTrials: 2,
      hpSpace: [
        { name: "learningRate", min: 0.001, max: 0.1, logScale: true },
        { name: "optimizer", choices: ["SGD", "ADAM"] },
      ],
    });
    await expectBestExported(job, 2);
    for (const trial of job.trials) {
      const learningRate = trial.params.find((p) => p.name === "learningRate")!.value!;
      expect(learningRate).toBeGreaterThanOrEqual(0.001);
      expect(learningRate).toBeLessThanOrEqual(0.1);
      expect(["SGD", "ADAM"]).toContain(trial.params.find((p) => p.name === "optimizer")!.choice);
    }
  });

  it("BAYESIAN (TPE) runs its trials and exports the best", async () => {
    const job = await search("bayesian-model", {
      strategy: "BAYESIAN",
      maxTrials: 3,
      hpSpace: [
        { name: "learningRate", min: 0.001, max: 0.1, logScale: true },
        { name: "hiddenUnits", values: [16, 32] },
      ],
    });
    await expectBestExported(job, 3);
  });

  it("prunes a trial whose validation loss trails the median of the trials before it", async () => {
    // Its subject is pruning: the loss curves it was written against are those of the built-in
    // embedder's version 1, named here so a newer default embedder does not move them.
    const embedder = await gateway.gql<{ model: { versions: Array<{ id: string; version: string }> } }>(
      `{ model(owner: "system", slug: "feature-embedder") { versions { id version } } }`,
    );
    const v1 = embedder.data!.model.versions.find((version) => version.version === "v1")!.id;
    const job = await search("pruned-model", {
      baseModelVersionId: v1,
      epochs: 5,
      strategy: "GRID",
      maxTrials: 3,
      pruneTrials: true,
      hpSpace: [{ name: "learningRate", values: [0.05, 0.03, 0.000001] }],
    });
    expect(job.status).toBe("SUCCEEDED");
    const byNumber = [...job.trials].sort((a, b) => a.number - b.number);
    expect(byNumber.map((t) => t.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "PRUNED"]);
    // Judged after the warm-up epoch, against the two finished trials: stopped at epoch 2.
    expect(byNumber[2]!.epochsRun).toBe(2);
    expect(await storedMetricKeys(gateway, job.id, 2)).toEqual(everyEpochOnce(2));
    expect(job.trials.at(-1)!.number).toBe(2);
    expect(job.resultModelVersion.metrics.extra.trial).toBe(job.trials[0]!.number);
  });
});

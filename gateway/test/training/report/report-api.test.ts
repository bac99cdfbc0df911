import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestGateway } from "../../support/gateway";
import { buildColourClassifier, deployReady, uploadOnnx } from "../../inference/inference-api";
import type { StoredJobEvaluation } from "../../../src/training/training-rows";
import {
  expectNoErrors,
  finished,
  startJob,
  startWorkerGateway,
  textureFixture,
  waitForJob,
  type TrainingFixture,
} from "../worker/worker-support";

const JOB = `query ($id: ID!) { trainingJob(id: $id) {
  id status labels finalMetric { name value }
  evaluation { count confusionMatrix }
  report { htmlUrl jsonUrl pngUrls generatedAt }
  resultModelVersion { id accuracy worseThanServing metrics { validationAccuracy } }
} }`;

const CELL = `query ($id: ID!, $actual: String!, $predicted: String!, $first: Int, $split: String) {
  trainingJob(id: $id) {
    misclassified(actual: $actual, predicted: $predicted, first: $first, split: $split) {
      actual predicted confidence split sample { id class { name } thumbnailUrl }
    }
  }
}`;

interface Job {
  id: string;
  status: string;
  labels: string[];
  finalMetric: { name: string; value: number } | null;
  evaluation: { count: number; confusionMatrix: number[][] };
  report: { htmlUrl: string; jsonUrl: string; pngUrls: string[]; generatedAt: string } | null;
  resultModelVersion: { id: string; accuracy: number; worseThanServing: boolean };
}

interface Cell {
  actual: string;
  predicted: string;
  confidence: number;
  split: string;
  sample: { id: string; class: { name: string }; thumbnailUrl: string };
}

/** A trained job, end to end: per-sample results, the cells of its matrix, its report files. */
describe("run comparison and reports", () => {
  let gateway: TestGateway;
  let fixture: TrainingFixture;
  let jobId: string;
  let member: string;

  const job = async (token?: string) => {
    const body = await gateway.gql<{ trainingJob: Job | null }>(JOB, { id: jobId }, token);
    expectNoErrors(body);
    return body.data!.trainingJob;
  };

  beforeAll(async () => {
    gateway = await startWorkerGateway();
    fixture = await textureFixture(gateway, "report-textures");
    member = await gateway.createMember("bob");
    // One short epoch at a tiny learning rate leaves the head near its random start: with 9
    // validation samples over 3 classes it is all but certain to make mistakes to look at.
    const started = await startJob(gateway, fixture, "report-classifier", {
      epochs: 1,
      batchSize: 4,
      learningRate: 0.0001,
      validationSplit: 0.5,
      seed: 3,
      enableEarlyStopping: false,
    });
    jobId = started.id;
    const row = await waitForJob(gateway, jobId, finished, 60_000);
    expect(row.error).toBeNull();
  });

  afterAll(() => gateway?.stop());

  it("keeps per-sample results of the final evaluation: every cell lists its samples, worst first", async () => {
    const trained = (await job())!;
    expect(trained.finalMetric).toEqual({ name: "val_loss", value: expect.any(Number) });
    const stored = (await gateway.prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } }))
      .evaluation as unknown as StoredJobEvaluation;
    expect(stored.validation!.samples!.sampleIds).toHaveLength(trained.evaluation.count);
    expect(stored.validation!.reliability).toHaveLength(10);
    // The job holds them; the trial rows no longer do.
    const trials = await gateway.prisma.trainingTrial.findMany({ where: { jobId } });
    expect(trials.map((trial) => JSON.stringify(trial.evaluation).includes('"samples"'))).toEqual([false]);

    const { labels, evaluation } = trained;
    let mistakes = 0;
    for (const [r, actual] of labels.entries()) {
      for (const [c, predicted] of labels.entries()) {
        const body = await gateway.gql<{ trainingJob: { misclassified: Cell[] } }>(CELL, {
          id: jobId,
          actual,
          predicted,
          first: 100,
        });
        expectNoErrors(body);
        const cell = body.data!.trainingJob.misclassified;
        expect(cell).toHaveLength(evaluation.confusionMatrix[r]![c]!);
        expect(
          cell.every((entry) => entry.sample.class.name === actual && entry.split === "validation"),
        ).toBe(true);
        const confidences = cell.map((entry) => entry.confidence);
        const worstFirst = [...confidences].sort((a, b) => (r === c ? a - b : b - a));
        expect(confidences).toEqual(worstFirst);
        if (r !== c) mistakes += cell.length;
      }
    }
    expect(mistakes).toBeGreaterThan(0);
    const thumbnail = await fetch((await anyMistake()).sample.thumbnailUrl);
    expect(thumbnail.status).toBe(200);
  });

  it("refuses labels the job does not have and sizes out of range, and hides the job from others", async () => {
    const [first] = (await job())!.labels;
    const unknown = await gateway.gql(CELL, { id: jobId, actual: "zebra", predicted: first });
    expect(unknown.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(unknown.errors![0]!.message).toContain(first!);
    const tooMany = await gateway.gql(CELL, { id: jobId, actual: first, predicted: first, first: 101 });
    expect(tooMany.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    const split = await gateway.gql(CELL, { id: jobId, actual: first, predicted: first, split: "train" });
    expect(split.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(await job(member)).toBeNull();
  });

  it("renders the report once, as blobs: one self-contained HTML page, its JSON twin and PNG charts", async () => {
    const { report } = (await job())!;
    expect(report).not.toBeNull();
    const html = await fetch(report!.htmlUrl);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
    const page = await html.text();
    expect(page).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(page).toContain("data:image/jpeg;base64,");
    const data = (await (await fetch(report!.jsonUrl)).json()) as {
      job: { id: string; labels: string[] };
      lineage: { resultModelVersion: { id: string } };
      misclassified: unknown[];
    };
    expect(data.job.id).toBe(jobId);
    expect(data.lineage.resultModelVersion.id).toBe((await job())!.resultModelVersion.id);
    expect(data.misclassified.length).toBeGreaterThan(0);
    const names = report!.pngUrls.map((url) => new URL(url).pathname.split("/").at(-1));
    expect(names).toEqual([
      "loss.png",
      "accuracy.png",
      "trials.png",
      "confusion-matrix.png",
      "per-class.png",
      "reliability.png",
      "misclassified.png",
      "lineage.png",
    ]);
    const sizes = [];
    for (const url of report!.pngUrls) {
      const { format, width, height } = await sharp(
        Buffer.from(await (await fetch(url)).arrayBuffer()),
      ).metadata();
      sizes.push({ format, width, height });
    }
    expect(sizes.every((size) => size.format === "png" && size.width > 0 && size.height > 0)).toBe(true);
    // The lineage chart has a fixed size: 480 × 216, rendered at twice that.
    expect(sizes.at(-1)).toEqual({ format: "png", width: 960, height: 432 });

    // Asked again: the same files, not a second render; the blob sweep keeps them.
    const again = (await job())!.report!;
    expect(again.generatedAt).toBe(report!.generatedAt);
    const stored = (await gateway.prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } })).report as {
      html: string;
      png: Array<{ sha256: string }>;
    };
    const { references } = gateway.running.services.datasetUploads;
    await references.releaseUnreferenced(10_000);
    expect(
      await gateway.prisma.blob.count({ where: { sha256: { in: [stored.html, stored.png[0]!.sha256] } } }),
    ).toBe(2);
    expect((await fetch(report!.htmlUrl)).status).toBe(200);

    // A link is the viewer's: tampered, it is refused; another user's token finds nothing.
    expect((await fetch(report!.htmlUrl.replace(/signature=[^&]+/, "signature=forged"))).status).toBe(401);
    const path = new URL(report!.htmlUrl).pathname;
    const asMember = await fetch(gateway.url + path, { headers: { authorization: `Bearer ${member}` } });
    expect(asMember.status).toBe(404);
  });

  it("flags a version worse than the one its model serves", async () => {
    const versions = [];
    for (const metrics of [
      { validationAccuracy: 0.9 },
      { validationAccuracy: 0.8 },
      { testAccuracy: 0.95 },
      {},
    ]) {
      versions.push(await uploadOnnx(gateway, "served", buildColourClassifier(), { metrics }));
    }
    const [v1, v2, v3, v4] = versions.map((version) => version.id);
    const flags = async () => {
      const body = await gateway.gql<{
        model: {
          servingVersion: { id: string } | null;
          versions: Array<{ id: string; worseThanServing: boolean }>;
        };
      }>(
        `query ($id: ID!) { model(id: $id) { servingVersion { id } versions { id worseThanServing accuracy } } }`,
        { id: await modelIdOf(v1!) },
      );
      expectNoErrors(body);
      const { model } = body.data!;
      return {
        serving: model.servingVersion?.id ?? null,
        worse: model.versions.filter((version) => version.worseThanServing).map((version) => version.id),
      };
    };
    expect(await flags()).toEqual({ serving: null, worse: [] });
    const alias = await gateway.gql(
      `mutation ($m: ID!, $v: ID!) { setModelAlias(modelId: $m, alias: "production", versionId: $v) { id } }`,
      { m: await modelIdOf(v1!), v: v1 },
    );
    expectNoErrors(alias);
    expect(await flags()).toEqual({ serving: v1, worse: [v2] });
    // A READY deployment is what the model serves, whatever the alias says.
    await deployReady(gateway, v3!);
    expect(await flags()).toEqual({ serving: v3, worse: [v2, v1] });
    expect(v4).toBeDefined();
  });

  async function anyMistake(): Promise<Cell> {
    const stored = (await gateway.prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } }))
      .evaluation as unknown as StoredJobEvaluation;
    const samples = stored.validation!.samples!;
    const index = samples.actual.findIndex((actual, i) => actual !== samples.predicted[i]);
    const labels = (await job())!.labels;
    const body = await gateway.gql<{ trainingJob: { misclassified: Cell[] } }>(CELL, {
      id: jobId,
      actual: labels[samples.actual[index]!],
      predicted: labels[samples.predicted[index]!],
      first: 1,
    });
    return body.data!.trainingJob.misclassified[0]!;
  }

  async function modelIdOf(versionId: string): Promise<string> {
    return (await gateway.prisma.modelVersion.findUniqueOrThrow({ where: { id: versionId } })).modelId;
  }
});

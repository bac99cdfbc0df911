import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestGateway } from "../../support/gateway";
import { buildColourClassifier, deployReady, uploadOnnx } from "../../inference/inference-api";
import type { Prisma } from "../../../src/generated/prisma/client";
import type { StoredJobEvaluation, StoredSampleResults } from "../../../src/training/training-rows";
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

const CELL = `query ($id: ID!, $actual: String!, $predicted: String!, $first: Int, $split: EvaluationSplit) {
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
  /** The worker's own final evaluation, before the test replaced its per-sample results. */
  let trainedEvaluation: StoredJobEvaluation;
  /** The per-sample results the job holds during the tests: known mistakes and confidences. */
  let known: StoredSampleResults;
  let labelCount: number;

  const job = async (token?: string) => {
    const body = await gateway.gql<{ trainingJob: Job | null }>(JOB, { id: jobId }, token);
    expectNoErrors(body);
    return body.data!.trainingJob;
  };

  const cell = async (
    actual: string,
    predicted: string,
    extra: Record<string, unknown> = {},
    token?: string,
  ) => {
    const body = await gateway.gql<{ trainingJob: { misclassified: Cell[] } }>(
      CELL,
      { id: jobId, actual, predicted, first: 100, ...extra },
      token,
    );
    expectNoErrors(body);
    return body.data!.trainingJob.misclassified;
  };

  beforeAll(async () => {
    gateway = await startWorkerGateway();
    fixture = await textureFixture(gateway, "report-textures");
    member = await gateway.createMember("bob");
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
    const trained = await gateway.prisma.trainingJob.findUniqueOrThrow({ where: { id: jobId } });
    trainedEvaluation = trained.evaluation as unknown as StoredJobEvaluation;
    // Which samples validate, and what a barely trained head predicts for them, depend on random
    // ids: the API is checked on results the test chose, so every cell's content is known. (Asked
    // for before this, the report would have been rendered from the worker's results.)
    expect(trained.report).toBeNull();
    labelCount = trained.labels.length;
    known = knownResults(trainedEvaluation.validation!.samples!, labelCount);
    await gateway.prisma.trainingJob.update({
      where: { id: jobId },
      data: {
        evaluation: {
          ...trainedEvaluation,
          validation: {
            ...trainedEvaluation.validation!,
            samples: known,
            confusionMatrix: matrixOf(known, labelCount),
          },
        } as unknown as Prisma.InputJsonValue,
      },
    });
  });

  afterAll(() => gateway?.stop());

  it("keeps per-sample results of the final evaluation that agree with its confusion matrix", async () => {
    const { count, confusionMatrix, reliability, samples } = trainedEvaluation.validation!;
    expect(samples!.sampleIds).toHaveLength(count);
    expect(samples!.omitted).toBe(0);
    expect(matrixOf(samples!, labelCount)).toEqual(confusionMatrix);
    expect(reliability).toHaveLength(10);
    // The job holds them; the trial rows no longer do.
    const trials = await gateway.prisma.trainingTrial.findMany({ where: { jobId } });
    expect(trials.map((trial) => JSON.stringify(trial.evaluation).includes('"samples"'))).toEqual([false]);
    expect((await job())!.finalMetric).toEqual({ name: "val_loss", value: expect.any(Number) });
  });

  it("lists every cell's samples, worst first, as the job's dataset version holds them", async () => {
    const { labels, evaluation } = (await job())!;
    const positions = known.sampleIds.map((_, index) => index);
    let mistakes = 0;
    for (const [r, actual] of labels.entries()) {
      for (const [c, predicted] of labels.entries()) {
        const listed = await cell(actual, predicted);
        // Confidence grows with the position: mistakes come last first, right answers first first.
        const inCell = positions.filter((i) => known.actual[i] === r && known.predicted[i] === c);
        const expected = r === c ? inCell : inCell.reverse();
        expect(listed.map((entry) => entry.sample.id)).toEqual(expected.map((i) => known.sampleIds[i]));
        expect(listed.map((entry) => entry.confidence)).toEqual(expected.map((i) => known.confidence[i]));
        expect(listed).toHaveLength(evaluation.confusionMatrix[r]![c]!);
        expect(
          listed.every((entry) => entry.sample.class.name === actual && entry.split === "VALIDATION"),
        ).toBe(true);
        if (r !== c) mistakes += listed.length;
      }
    }
    expect(mistakes).toBe(Math.ceil(known.sampleIds.length / 2));

    // Paged, and per split: the job had no test split.
    const worst = known.sampleIds.length - 1 - ((known.sampleIds.length - 1) % 2);
    const [worstActual, worstPredicted] = [labels[known.actual[worst]!]!, labels[known.predicted[worst]!]!];
    const first = await cell(worstActual, worstPredicted, { first: 1 });
    expect(first.map((entry) => entry.sample.id)).toEqual([known.sampleIds[worst]]);
    expect(await cell(worstActual, worstPredicted, { split: "TEST" })).toEqual([]);
    const thumbnail = await fetch(first[0]!.sample.thumbnailUrl);
    expect(thumbnail.status).toBe(200);
  });

  it("refuses labels the job does not have, overlong labels, sizes and splits out of range, and hides the job from others", async () => {
    const [first] = (await job())!.labels;
    const unknown = await gateway.gql(CELL, { id: jobId, actual: "zebra", predicted: first });
    expect(unknown.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(unknown.errors![0]!.message).toContain(first!);
    // Too long to be a label: refused before it could be echoed back.
    const overlong = await gateway.gql(CELL, { id: jobId, actual: first, predicted: "x".repeat(201) });
    expect(overlong.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "predicted" });
    expect(overlong.errors![0]!.message).not.toContain("x".repeat(201));
    const tooMany = await gateway.gql(CELL, { id: jobId, actual: first, predicted: first, first: 101 });
    expect(tooMany.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    const split = await gateway.gql(CELL, { id: jobId, actual: first, predicted: first, split: "TRAIN" });
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
      misclassified: Array<{ sampleId: string }>;
    };
    expect(data.job.id).toBe(jobId);
    expect(data.lineage.resultModelVersion.id).toBe((await job())!.resultModelVersion.id);
    // The known results' mistakes, most confident first.
    const mistakes = known.sampleIds.filter((_, index) => index % 2 === 0).reverse();
    expect(data.misclassified.map((mistake) => mistake.sampleId)).toEqual(mistakes);
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

  it("keeps a public model's report from members who cannot see the private dataset it was trained on", async () => {
    const { resultModelVersion, report } = (await job())!;
    const modelId = await modelIdOf(resultModelVersion.id);
    const made = await gateway.gql(
      `mutation ($id: ID!) { updateModel(id: $id, patch: { isPublic: true }) { id } }`,
      {
        id: modelId,
      },
    );
    expectNoErrors(made);
    const dataset = await gateway.prisma.datasetVersion.findUniqueOrThrow({
      where: { id: fixture.versionId },
      select: { dataset: { select: { isPublic: true } } },
    });
    expect(dataset.dataset.isPublic).toBe(false);

    // The job is public with its model; its report shows the dataset's images, so it is not.
    const seen = await job(member);
    expect(seen).toMatchObject({ id: jobId, status: "SUCCEEDED", report: null });
    const [label] = seen!.labels;
    expect(await cell(label!, label!, {}, member)).toEqual([]);
    const links = [report!.htmlUrl, report!.jsonUrl, report!.pngUrls[0]!];
    for (const link of links) {
      const path = new URL(link).pathname;
      const asMember = await fetch(gateway.url + path, { headers: { authorization: `Bearer ${member}` } });
      expect(asMember.status, path).toBe(404);
    }
    // The owner still opens it.
    expect(
      (
        await fetch(gateway.url + new URL(report!.htmlUrl).pathname, {
          headers: { authorization: `Bearer ${gateway.adminToken}` },
        })
      ).status,
    ).toBe(200);
  });

  it("flags a version worse than the one its model serves, comparing like with like", async () => {
    const versions = [];
    for (const metrics of [
      { validationAccuracy: 0.9, testAccuracy: 0.85 },
      { validationAccuracy: 0.8, testAccuracy: 0.99 },
      { testAccuracy: 0.95 },
      {},
    ]) {
      versions.push(await uploadOnnx(gateway, "served", buildColourClassifier(), { metrics }));
    }
    const [v1, v2, v3, v4] = versions.map((version) => version.id);
    const modelId = await modelIdOf(v1!);
    const flags = async () => {
      const body = await gateway.gql<{
        model: {
          servingVersion: { id: string } | null;
          versions: Array<{ id: string; worseThanServing: boolean; accuracy: number | null }>;
        };
      }>(
        `query ($id: ID!) { model(id: $id) { servingVersion { id } versions { id worseThanServing accuracy } } }`,
        {
          id: modelId,
        },
      );
      expectNoErrors(body);
      const { model } = body.data!;
      return {
        serving: model.servingVersion?.id ?? null,
        worse: model.versions.filter((version) => version.worseThanServing).map((version) => version.id),
        accuracy: Object.fromEntries(model.versions.map((version) => [version.id, version.accuracy])),
      };
    };
    // Shown: validation, else test; v4 has neither.
    const accuracy = { [v1!]: 0.9, [v2!]: 0.8, [v3!]: 0.95, [v4!]: null };
    expect(await flags()).toEqual({ serving: null, worse: [], accuracy });
    const alias = await gateway.gql(
      `mutation ($m: ID!, $v: ID!) { setModelAlias(modelId: $m, alias: "production", versionId: $v) { id } }`,
      { m: modelId, v: v1 },
    );
    expectNoErrors(alias);
    // Against v1: v2 by validation (0.8 < 0.9); v3 has no validation accuracy, and its test
    // accuracy beats v1's; v4 has nothing to compare.
    expect(await flags()).toEqual({ serving: v1, worse: [v2], accuracy });
    // A READY deployment is what the model serves, whatever the alias says. Against v3 (test
    // accuracy only) v1 is worse (0.85 < 0.95) and v2 is not (0.99), whatever v2 shows (0.8).
    await deployReady(gateway, v3!);
    expect(await flags()).toEqual({ serving: v3, worse: [v1], accuracy });
  });

  async function modelIdOf(versionId: string): Promise<string> {
    return (await gateway.prisma.modelVersion.findUniqueOrThrow({ where: { id: versionId } })).modelId;
  }
});

/**
 * The worker's samples with chosen outcomes: every even position is a mistake (taken for the
 * next label), the rest right; confidence grows with the position, so each cell's order is known.
 */
function knownResults(trained: StoredSampleResults, labels: number): StoredSampleResults {
  const count = trained.sampleIds.length;
  return {
    sampleIds: trained.sampleIds,
    actual: trained.actual,
    predicted: trained.actual.map((actual, index) => (index % 2 === 0 ? (actual + 1) % labels : actual)),
    confidence: trained.actual.map((_, index) => Math.round(((index + 1) / (count + 1)) * 1e6) / 1e6),
    omitted: 0,
  };
}

/** The flat, row-major confusion matrix (row = true label) the results add up to. */
function matrixOf(results: StoredSampleResults, labels: number): number[] {
  const matrix = new Array<number>(labels * labels).fill(0);
  results.actual.forEach((actual, index) => (matrix[actual * labels + results.predicted[index]!]! += 1));
  return matrix;
}

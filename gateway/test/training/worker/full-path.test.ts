import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestGateway } from "../../support/gateway";
import { OnnxGraphBuilder } from "@tessera/onnx";
import { CLASSIFY, DEPLOY, uploadOnnx, type Classification } from "../../inference/inference-api";
import { startedJob } from "../api/training-api";
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

const EPOCHS = 4;

const EVENT_FIELDS = `
  __typename
  ... on TrainingProgressEvent { status phase trial epoch totalEpochs step totalSteps progress }
  ... on TrainingMetricsEvent { trial epoch values { name value } }
  ... on TrialEvent { trial state epochsRun objective }
  ... on TrainingCompletedEvent { evaluation { accuracy } resultModelVersion { id } }
  ... on TrainingFailedEvent { status reason }`;

interface Event {
  __typename: string;
  status?: string;
  phase?: string;
  epoch?: number;
  progress?: number;
  state?: string;
  values?: Array<{ name: string; value: number }>;
  resultModelVersion?: { id: string } | null;
}

const VERSION_FIELDS = `
  id version labels validation
  metrics { trainingAccuracy validationAccuracy testAccuracy trainingLoss }
  trainingJob { id } trainedFrom { id } trainedOn { id } hyperparameters
  model { slug modelType framework owner { handle } }`;

/** The worker inside the gateway: a job from startTraining to a deployed model that classifies. */
describe("training a model end to end", () => {
  let gateway: TestGateway;
  let fixture: TrainingFixture;

  beforeAll(async () => {
    gateway = await startWorkerGateway();
    fixture = await textureFixture(gateway, "textures");
  });

  afterAll(() => gateway?.stop());

  it("streams progress, metrics and trial events, then registers, deploys and classifies", async () => {
    const job = await startJob(gateway, fixture, "texture-classifier", {
      epochs: EPOCHS,
      batchSize: 4,
      learningRate: 0.05,
      validationSplit: 0.34,
    });
    const client = createClient({
      url: `${gateway.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${gateway.adminToken}` },
    });
    const events: Event[] = [];
    try {
      const subscription = client.iterate<{ trainingProgress: Event }>({
        query: `subscription ($id: ID!) { trainingProgress(jobId: $id) { ${EVENT_FIELDS} } }`,
        variables: { id: job.id },
      });
      for await (const message of subscription) {
        expectNoErrors(message);
        events.push(message.data!.trainingProgress);
      }
    } finally {
      await client.dispose();
    }

    const completed = events.at(-1)!;
    expect(completed.__typename, JSON.stringify(events.slice(-3))).toBe("TrainingCompletedEvent");
    const metricEpochs = events.filter((e) => e.__typename === "TrainingMetricsEvent").map((e) => e.epoch);
    expect(metricEpochs.slice(-2)).toEqual([EPOCHS - 1, EPOCHS]);
    const trialStates = events.filter((e) => e.__typename === "TrialEvent").map((e) => e.state);
    expect(trialStates.at(-1)).toBe("SUCCEEDED");
    const progress = events.filter((e) => e.__typename === "TrainingProgressEvent").map((e) => e.progress!);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const body = await gateway.gql<{
      trainingJob: {
        status: string;
        progress: number;
        currentEpoch: number;
        splitCounts: { train: number; validation: number; test: number };
        evaluation: { accuracy: number; confusionMatrix: number[][]; perClass: Array<{ label: string }> };
        trials: Array<{ number: number; status: string; epochsRun: number; bestEpoch: number }>;
        resultModelVersion: Record<string, unknown> & { id: string; labels: string[] };
      };
    }>(
      `query ($id: ID!) { trainingJob(id: $id) {
        status progress currentEpoch splitCounts { train validation test }
        evaluation { accuracy confusionMatrix perClass { label precision recall f1 } }
        trials { number status epochsRun bestEpoch }
        resultModelVersion { ${VERSION_FIELDS} }
      } }`,
      { id: job.id },
    );
    expectNoErrors(body);
    const trained = body.data!.trainingJob;
    expect(trained).toMatchObject({ status: "SUCCEEDED", progress: 1, currentEpoch: EPOCHS });
    // 6 per class, a third held out per class: 2 of each of the 3 classes validate.
    expect(trained.splitCounts).toEqual({ train: 12, validation: 6, test: 0 });
    expect(trained.trials).toMatchObject([{ number: 0, status: "SUCCEEDED", epochsRun: EPOCHS }]);
    const labels = [...fixture.classNames].sort();
    expect(job.labels).toEqual(labels);
    expect(trained.evaluation.perClass.map((c) => c.label)).toEqual(labels);
    expect(trained.evaluation.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(6);
    expect(await storedMetricKeys(gateway, job.id)).toEqual(everyEpochOnce(EPOCHS));

    const version = trained.resultModelVersion;
    expect(completed.resultModelVersion?.id).toBe(version.id);
    expect(version).toMatchObject({
      version: "v1",
      labels,
      validation: "VALID",
      trainingJob: { id: job.id },
      trainedFrom: { id: fixture.baseId },
      trainedOn: { id: fixture.versionId },
      model: {
        slug: "texture-classifier",
        modelType: "CLASSIFICATION",
        framework: "ONNX",
        owner: { handle: "admin" },
      },
    });
    expect(version.metrics).toMatchObject({
      validationAccuracy: trained.evaluation.accuracy,
      testAccuracy: null,
    });
    expect(version.hyperparameters).toMatchObject({ epochs: EPOCHS, batchSize: 4, learningRate: 0.05 });

    const deployed = await gateway.gql(DEPLOY, { id: version.id });
    expectNoErrors(deployed);
    const samples = await gateway.prisma.versionSample.findMany({
      where: { versionId: fixture.versionId },
      include: { class: true },
    });
    let correct = 0;
    for (const sample of samples) {
      const answer = await gateway.gql<{ classifyImage: Classification }>(CLASSIFY, {
        id: version.id,
        image: { sampleId: sample.sampleId },
        topK: 3,
      });
      expectNoErrors(answer);
      const predictions = answer.data!.classifyImage.predictions;
      expect(predictions.map((p) => p.label).sort()).toEqual(labels);
      if (predictions[0]!.label === sample.class.name) correct += 1;
    }
    // Colour and texture separate these classes: the trained head gets nearly all of them.
    expect(correct / samples.length).toBeGreaterThanOrEqual(0.8);
  });

  it("trains on an ONNX backbone's named output and exports backbone and head as one model", async () => {
    const backbone = await uploadOnnx(gateway, "colour-backbone", buildColourBackbone(), {
      modelType: "EMBEDDING",
    });
    const job = await startedJob(gateway, {
      datasetVersionId: fixture.versionId,
      baseModelVersionId: backbone.id,
      targetModelSlug: "backbone-classifier",
      featureOutput: "features",
      epochs: 15,
      batchSize: 4,
      learningRate: 0.05,
      enableEarlyStopping: false,
    });
    const row = await waitForJob(gateway, job.id, finished);
    expect(row.error).toBeNull();
    expect(row.status).toBe("SUCCEEDED");
    const version = await gateway.prisma.modelVersion.findFirstOrThrow({
      where: { trainingJobId: job.id },
      include: { model: true },
    });
    expect(version).toMatchObject({ trainedFromId: backbone.id, validation: "VALID", labels: job.labels });
    expect(version.hyperparameters).toMatchObject({ featureOutput: "features" });
    // The export starts where the backbone starts: the same image input.
    expect(version.inputs).toMatchObject([{ name: "image", shape: [-1, 3, 8, 8] }]);

    const deployed = await gateway.gql(DEPLOY, { id: version.id });
    expectNoErrors(deployed);
    const sample = await gateway.prisma.versionSample.findFirstOrThrow({
      where: { versionId: fixture.versionId, class: { name: job.labels[0] } },
    });
    const answer = await gateway.gql<{ classifyImage: Classification }>(CLASSIFY, {
      id: version.id,
      image: { sampleId: sample.sampleId },
    });
    expectNoErrors(answer);
    expect(answer.data!.classifyImage.predictions[0]!.label).toBe(job.labels[0]);
  });
});

/** image [batch, 3, 8, 8] → per-channel means "features" [batch, 3]: colour alone, no weights. */
function buildColourBackbone(): Buffer {
  return Buffer.from(
    new OnnxGraphBuilder({ graphName: "colour-backbone" })
      .addInput("image", "float32", ["batch", 3, 8, 8])
      .addNode({ op: "GlobalAveragePool", inputs: ["image"], outputs: ["pooled"] })
      .addNode({ op: "Flatten", inputs: ["pooled"], outputs: ["features"], attributes: { axis: { int: 1 } } })
      .addOutput("features", "float32", ["batch", 3])
      .toBytes(),
  );
}

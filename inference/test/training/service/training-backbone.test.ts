import * as grpc from "@grpc/grpc-js";
import type { Evaluation__Output } from "@tessera/proto/generated/tessera/training/v1/Evaluation";
import type { TrainRequest } from "@tessera/proto/generated/tessera/training/v1/TrainRequest";
import { loadTasks } from "@tessera/proto/tasks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectKServe, type KServeTestClient } from "../../helpers/kserve-client";
import { loadRequest } from "../../helpers/model-loads";
import { startTierProcess, type TierProcess } from "../../helpers/tier-process";
import { buildConvBackbone } from "../../tasks/support/task-models";
import { datasetLabels, imageDataset, type DatasetImage } from "./support/image-dataset";
import { TrainingTestClient } from "./support/training-client";

const stringParameters = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { string_value: value }]));

describe("training on an ONNX backbone loaded in the tier", () => {
  let tier: TierProcess;
  let kserve: KServeTestClient;
  let client: TrainingTestClient;
  let dataset: DatasetImage[];
  let request: TrainRequest;

  beforeAll(async () => {
    [tier, dataset] = await Promise.all([startTierProcess(0), imageDataset(12, 2)]);
    kserve = connectKServe(tier.port);
    client = new TrainingTestClient(tier.port);
    const config = { max_batch_size: 8, parameters: stringParameters({ "tessera.task": "embedding" }) };
    await kserve.call("RepositoryModelLoad", loadRequest("backbone", config, { 1: buildConvBackbone() }));
    await client.putImages([dataset.map(({ sha256, data }) => ({ sha256, data }))]);
    request = {
      job_id: "job-backbone",
      base: { model_name: "backbone" },
      labels: datasetLabels,
      samples: dataset.map(({ sha256, label, split }) => ({ sha256, label, split })),
      hyperparameters: { learning_rate: 0.05, epochs: 8, batch_size: 8, seed: 3 },
    };
  });

  afterAll(async () => {
    client?.close();
    kserve?.close();
    await tier?.stop();
  });

  it("trains on its pooled features and exports a model the tier classifies with as training measured", async () => {
    const outcome = await client.train(request);
    expect(outcome.error).toBeNull();
    const result = outcome.events.at(-1)!.result!;
    const validation = result.evaluations[0]!;

    const { chunks } = await client.exportModel({
      base: request.base,
      labels: datasetLabels,
      checkpoint: result.checkpoint,
    });
    const parameters = { "tessera.task": "classification", "tessera.labels": JSON.stringify(datasetLabels) };
    const config = { max_batch_size: 8, parameters: stringParameters(parameters) };
    await kserve.call("RepositoryModelLoad", loadRequest("trained", config, { 1: Buffer.concat(chunks) }));

    const images = dataset.filter((image) => image.split === "VALIDATION");
    const predicted = await Promise.all(images.map((image) => classify(tier.port, image.data)));
    expect(confusionMatrix(images, predicted)).toEqual(validation.confusion_matrix);
    expect(validation.accuracy).toBeGreaterThanOrEqual(0.88);
  });

  it("passes the base's own errors on with their codes", async () => {
    const outcome = await client.train({ ...request, base: { model_name: "absent" } });
    expect(outcome.error?.code).toBe(grpc.status.NOT_FOUND);
    expect(outcome.error?.details).toContain("absent");
  });
});

function confusionMatrix(
  images: DatasetImage[],
  predicted: string[],
): Evaluation__Output["confusion_matrix"] {
  const matrix = new Array<number>(datasetLabels.length ** 2).fill(0);
  images.forEach((image, index) => {
    matrix[image.label * datasetLabels.length + datasetLabels.indexOf(predicted[index]!)]! += 1;
  });
  return matrix;
}

/** The label the tier's Classify puts first for an image, with the exported model. */
function classify(port: number, image: Buffer): Promise<string> {
  const { TaskService } = loadTasks();
  const tasks = new TaskService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) =>
    tasks.Classify({ model_name: "trained", image, top_k: 1 }, (error, response) => {
      tasks.close();
      if (error) reject(error);
      else resolve(response!.predictions[0]!.label);
    }),
  );
}

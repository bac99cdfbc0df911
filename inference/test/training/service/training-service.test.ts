import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import type { Hyperparameters } from "@tessera/proto/generated/tessera/training/v1/Hyperparameters";
import type { TrainEvent__Output } from "@tessera/proto/generated/tessera/training/v1/TrainEvent";
import type { TrainRequest } from "@tessera/proto/generated/tessera/training/v1/TrainRequest";
import { loadTasks } from "@tessera/proto/tasks";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTierProcess, type TierProcess } from "../../helpers/tier-process";
import { datasetLabels, imageDataset, sha256Of, type DatasetImage } from "./support/image-dataset";
import { TrainingTestClient, type TrainOutcome } from "./support/training-client";

const hyperparameters: Hyperparameters = {
  learning_rate: 0.01,
  epochs: 5,
  batch_size: 8,
  trainable_layers_count: 1,
  hidden_units: 16,
  augmented_copies: 1,
  seed: 7,
};

/** Metrics that are timings, which differ between any two runs. */
const timings = ["epoch_seconds", "samples_per_second"];
const withoutTimings = (values: Record<string, number>) =>
  Object.fromEntries(Object.entries(values).filter(([name]) => !timings.includes(name)));

const eventsOf = <Kind extends NonNullable<TrainEvent__Output["event"]>>(outcome: TrainOutcome, kind: Kind) =>
  outcome.events.filter((event) => event.event === kind).map((event) => event[kind]!);

describe("TrainingService, through a tier process", () => {
  // The tier's own cache folder, kept across the restart at the end.
  const cacheDir = mkdtempSync(path.join(tmpdir(), "tessera-training-tier-"));
  const tierEnv = { LOG_LEVEL: "info", INFERENCE_CACHE_DIR: cacheDir };
  let tier: TierProcess;
  let client: TrainingTestClient;
  let dataset: DatasetImage[];
  let request: TrainRequest;
  let full: TrainOutcome;

  beforeAll(async () => {
    [tier, dataset] = await Promise.all([startTierProcess(0, tierEnv), imageDataset(12)]);
    client = new TrainingTestClient(tier.port);
    request = {
      job_id: "job-1",
      trial: 0,
      labels: datasetLabels,
      samples: dataset.map(({ sha256, label, split }) => ({ sha256, label, split })),
      hyperparameters,
    };
  });

  afterAll(async () => {
    client?.close();
    await tier?.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it("says which images it lacks, stores them once verified, then lacks none", async () => {
    const shas = dataset.map((image) => image.sha256);
    expect(await client.missingImages(shas)).toEqual(shas);

    const images = dataset.map(({ sha256, data }) => ({ sha256, data }));
    expect(await client.putImages([images.slice(0, 20), images.slice(20)])).toBe(dataset.length);
    expect(await client.missingImages(shas)).toEqual([]);
  });

  it("refuses an image whose bytes do not hash to its sha256, naming it", async () => {
    const [first, second] = dataset;
    const put = client.putImages([[{ sha256: first!.sha256, data: second!.data }]]);
    await expect(put).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining(`Image ${first!.sha256} does not match its bytes`),
    });
  });

  it("streams feature progress, then per epoch progress, metrics and a checkpoint, then the result", async () => {
    full = await client.train(request);
    expect(full.error).toBeNull();

    const kinds = full.events.map((event) => event.event);
    const firstEpochEvent = kinds.indexOf("progress");
    expect(kinds.slice(0, firstEpochEvent).every((kind) => kind === "features")).toBe(true);
    const features = eventsOf(full, "features");
    // 27 training images and their copies, 9 validation images.
    expect(features.at(-1)).toMatchObject({ done: 63, total: 63, cached: 0 });

    const epochs = full.events.slice(firstEpochEvent, -1).map((event) => {
      const payload = event[event.event!] as { epoch: number };
      return `${event.event}:${payload.epoch}`;
    });
    const expected = [1, 2, 3, 4, 5].flatMap((epoch) => [`metrics:${epoch}`, `checkpoint:${epoch}`]);
    expect(epochs.filter((entry) => !entry.startsWith("progress"))).toEqual(expected);
    for (const epoch of [1, 2, 3, 4, 5]) {
      const before = epochs.indexOf(`metrics:${epoch}`);
      expect(epochs.slice(0, before).filter((entry) => entry === `progress:${epoch}`).length).toBeGreaterThan(
        0,
      );
    }
    expect(Object.keys(eventsOf(full, "metrics")[0]!.values).sort()).toEqual(
      [
        "accuracy",
        "epoch_seconds",
        "learning_rate",
        "loss",
        "samples_per_second",
        "val_accuracy",
        "val_loss",
      ].sort(),
    );

    const [result] = eventsOf(full, "result");
    expect(full.events.at(-1)!.event).toBe("result");
    expect(result).toMatchObject({ epochs_run: 5, stopped_early: false });
    const [validation] = result!.evaluations;
    expect(validation).toMatchObject({ split: "VALIDATION", count: 9 });
    expect(validation!.accuracy).toBeGreaterThanOrEqual(0.88);
    expect(validation!.per_class.map((metrics) => metrics.label)).toEqual(datasetLabels);
    expect(validation!.confusion_matrix).toHaveLength(9);
  });

  it("continues from an epoch-2 checkpoint exactly as the uninterrupted run, with every feature cached", async () => {
    const checkpoint = eventsOf(full, "checkpoint").find((entry) => entry.epoch === 2)!;
    const resumed = await client.train({ ...request, checkpoint: checkpoint.state });
    expect(resumed.error).toBeNull();

    expect(eventsOf(resumed, "features").at(-1)).toMatchObject({ done: 63, total: 63, cached: 63 });
    expect(eventsOf(resumed, "progress")[0]!.epoch).toBe(3);
    const metrics = (outcome: TrainOutcome) =>
      eventsOf(outcome, "metrics").map((entry) => ({
        epoch: entry.epoch,
        values: withoutTimings(entry.values),
      }));
    expect(metrics(resumed)).toEqual(metrics(full).slice(2));
    expect(eventsOf(resumed, "result")[0]!.evaluations).toEqual(eventsOf(full, "result")[0]!.evaluations);
  });

  it("refuses a run whose images are not all staged with FAILED_PRECONDITION", async () => {
    const unstaged = sha256Of(Buffer.from("never sent"));
    const outcome = await client.train({
      ...request,
      samples: [...request.samples!, { sha256: unstaged, label: 0, split: "TRAIN" }],
    });
    expect(outcome.events).toEqual([]);
    expect(outcome.error).toMatchObject({
      code: grpc.status.FAILED_PRECONDITION,
      details: expect.stringContaining(
        `1 training image is not staged; send it with PutImages (${unstaged})`,
      ),
    });
  });

  it.each([
    ["a single label", { labels: ["only"] }, "needs 2 to 65536 labels; got 1"],
    [
      "a label index past the labels",
      { samples: [{ sha256: "a".repeat(64), label: 3 }] },
      "samples[0].label is 3",
    ],
    ["no validation samples", { samples: [{ sha256: "a".repeat(64), label: 0 }] }, "No VALIDATION samples"],
    [
      "a learning rate of 0",
      { hyperparameters: { ...hyperparameters, learning_rate: 0 } },
      "learning_rate must be > 0",
    ],
    [
      "zero epochs",
      { hyperparameters: { ...hyperparameters, epochs: 0 } },
      "epochs must be between 1 and 100000, got 0",
    ],
    [
      "epochs over the limit",
      { hyperparameters: { ...hyperparameters, epochs: 100_001 } },
      "epochs must be between 1 and 100000, got 100001",
    ],
    [
      "a batch size over the limit",
      { hyperparameters: { ...hyperparameters, batch_size: 1025 } },
      "batch_size must be between 0 and 1024 (0: the default), got 1025",
    ],
    [
      "hidden units over the limit",
      { hyperparameters: { ...hyperparameters, hidden_units: 4097 } },
      "hidden_units must be between 0 and 4096 (0: the default), got 4097",
    ],
    [
      "more hidden layers than the limit",
      { hyperparameters: { ...hyperparameters, trainable_layers_count: 9 } },
      "trainable_layers_count must be between 0 and 8, got 9",
    ],
    [
      "more augmented copies than the limit",
      { hyperparameters: { ...hyperparameters, augmented_copies: 17 } },
      "augmented_copies must be between 0 and 16, got 17",
    ],
    [
      "a patience over the limit",
      { hyperparameters: { ...hyperparameters, patience: 100_001 } },
      "patience must be between 0 and 100000 (0: the default), got 100001",
    ],
    [
      "more labels than the limit",
      { labels: Array.from({ length: 65_537 }, (_, index) => `class-${index}`) },
      "needs 2 to 65536 labels; got 65537",
    ],
    ["dropout of 1", { hyperparameters: { ...hyperparameters, dropout: 1 } }, "dropout must be in [0, 1)"],
    [
      "two class weights for three labels",
      { hyperparameters: { ...hyperparameters, class_weights: [1, 2] } },
      "class_weights must have one weight per label (3), got 2",
    ],
  ])("refuses %s with INVALID_ARGUMENT before reading any image", async (_, change, message) => {
    const outcome = await client.train({ ...request, ...change });
    expect(outcome.events).toEqual([]);
    expect(outcome.error).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining(message),
    });
  });

  it("fails with INVALID_ARGUMENT naming NaN when a huge learning rate makes the loss diverge", async () => {
    const outcome = await client.train({
      ...request,
      hyperparameters: { ...hyperparameters, optimizer: "SGD", learning_rate: 1e30 },
    });
    expect(outcome.error).toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringMatching(/NaN/),
    });
    expect(eventsOf(outcome, "result")).toEqual([]);
  });

  it("stops training within moments of a cancel and keeps answering", async () => {
    let cancelledAt = 0;
    const outcome = await client.train(
      { ...request, job_id: "job-cancelled", hyperparameters: { ...hyperparameters, epochs: 10_000 } },
      (event, call) => {
        if (event.event === "metrics" && !cancelledAt) {
          cancelledAt = performance.now();
          call.cancel();
        }
      },
    );
    expect(outcome.error?.code).toBe(grpc.status.CANCELLED);
    await expect
      .poll(() => tier.stdout(), { timeout: 2000 })
      .toMatch(/"jobId":"job-cancelled".*"training cancelled"/);
    expect(performance.now() - cancelledAt).toBeLessThan(2000);
    expect(await client.missingImages([dataset[0]!.sha256])).toEqual([]);
  });

  it("exports an ONNX model in chunks that onnxruntime loads and that classifies the validation images", async () => {
    const [result] = eventsOf(full, "result");
    const { chunks, totals } = await client.exportModel({
      labels: datasetLabels,
      checkpoint: result!.checkpoint,
      metadata: { job: "job-1" },
    });
    const bytes = Buffer.concat(chunks);
    expect(chunks.every((chunk) => chunk.byteLength <= 1024 * 1024)).toBe(true);
    expect(new Set(totals)).toEqual(new Set([bytes.byteLength]));

    const session = await ort.InferenceSession.create(bytes);
    const validation = dataset.filter((image) => image.split === "VALIDATION");
    const vectors = await embedFeatures(
      tier.port,
      validation.map((image) => image.data),
    );
    const input = new ort.Tensor("float32", Float32Array.from(vectors.flat()), [
      vectors.length,
      vectors[0]!.length,
    ]);
    const { probabilities } = await session.run({ [session.inputNames[0]!]: input });
    const rows = probabilities!.data as Float32Array;
    const predicted = validation.map((_, row) => {
      const scores = [...rows.subarray(row * 3, row * 3 + 3)];
      return scores.indexOf(Math.max(...scores));
    });
    const correct = predicted.filter((label, index) => label === validation[index]!.label).length;
    expect(correct / validation.length).toBe(result!.evaluations[0]!.accuracy);
    await session.release();
  });

  it("still holds the staged images and their features after a restart", async () => {
    client.close();
    await tier.stop();
    tier = await startTierProcess(0, tierEnv);
    client = new TrainingTestClient(tier.port);

    expect(await client.missingImages(dataset.map((image) => image.sha256))).toEqual([]);
    const outcome = await client.train({ ...request, hyperparameters: { ...hyperparameters, epochs: 1 } });
    expect(outcome.error).toBeNull();
    expect(eventsOf(outcome, "features")).toEqual([
      expect.objectContaining({ done: 63, total: 63, cached: 63 }),
    ]);
    expect(eventsOf(outcome, "metrics")[0]!.values.loss).toBe(eventsOf(full, "metrics")[0]!.values.loss);
  });
});

/** The built-in embedder's vectors from the same tier's TaskService: what the head was trained on. */
function embedFeatures(port: number, images: Buffer[]): Promise<number[][]> {
  const { TaskService } = loadTasks();
  const tasks = new TaskService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) =>
    tasks.Embed({ images, method: "FEATURE" }, (error, response) => {
      tasks.close();
      if (error) reject(error);
      else resolve(response!.embeddings.map((embedding) => embedding.values));
    }),
  );
}

import { getEventListeners } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type {
  TrainRequest,
  TrainRequest__Output,
} from "@tessera/proto/generated/tessera/training/v1/TrainRequest";
import { loadTraining } from "@tessera/proto/training";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultImageLimits } from "../../../src/images/decode-image";
import { createTierLogger } from "../../../src/logger";
import { FeatureEmbedder } from "../../../src/tasks/embedding/feature-embedder";
import { train } from "../../../src/training/service/train";
import { openTrainingCaches } from "../../../src/training/service/training-context";
import type { TrainingContext } from "../../../src/training/service/training-context";
import { InProcessRunner } from "../../tasks/support/in-process-runner";
import { datasetLabels, imageDataset } from "./support/image-dataset";

/**
 * A Train call hands its one AbortSignal to every feature batch and epoch of the run. Whatever
 * listens to it for one piece of work must stop listening when that piece ends: the tier logged
 * MaxListenersExceededWarning during hyperparameter searches when the descriptor pool did not.
 */
describe("a Train call's abort signal", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "tessera-train-signal-"));
  let context: TrainingContext;
  let runner: InProcessRunner;
  let request: TrainRequest__Output;

  beforeAll(async () => {
    const caches = await openTrainingCaches({
      dir,
      imageCacheBytes: 64 * 1024 ** 2,
      featureMemoryBytes: 0,
      featureDiskBytes: 0,
      featureBatchSize: 32,
    });
    runner = await InProcessRunner.create([]);
    context = {
      ...caches,
      tasks: { runner, embedder: new FeatureEmbedder({ workers: 1 }), imageLimits: defaultImageLimits },
      featureBatchSize: 32,
      readModelFile: () => Promise.reject(new Error("not used")),
      logger: createTierLogger("silent"),
    };
    // 30 images a class, each with one augmented copy: well over ten descriptor jobs a trial.
    const dataset = await imageDataset(30);
    for (const image of dataset) await context.images.put(image.sha256, image.data);
    // Through the service's own (de)serialiser: the request exactly as the servicer receives it.
    const { Train } = loadTraining().TrainingService.service;
    request = Train.requestDeserialize(
      Train.requestSerialize({
        job_id: "search",
        labels: datasetLabels,
        samples: dataset.map(({ sha256, label, split }) => ({ sha256, label, split })),
        hyperparameters: {
          learning_rate: 0.01,
          epochs: 2,
          batch_size: 8,
          trainable_layers_count: 1,
          hidden_units: 8,
          augmented_copies: 1,
        },
      } satisfies TrainRequest),
    ) as TrainRequest__Output;
  });

  afterAll(async () => {
    await context?.tasks.embedder.close();
    await runner?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("has no listener left after each trial, and no listener-leak warning is emitted", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const signal = new AbortController().signal;
      const counts: number[] = [];
      for (let trial = 0; trial < 3; trial++) {
        // A new seed per trial draws new augmented copies: every trial extracts features again.
        const trialRequest: TrainRequest__Output = {
          ...request,
          trial,
          hyperparameters: { ...request.hyperparameters!, seed: trial + 1 },
        };
        let events = 0;
        await train(context, trialRequest, signal, async () => void events++);
        expect(events).toBeGreaterThan(0);
        counts.push(getEventListeners(signal, "abort").length);
      }
      expect(counts).toEqual([0, 0, 0]);
      expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  }, 60_000);
});
